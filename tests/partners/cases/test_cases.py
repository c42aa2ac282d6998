"""Case services: triage, the customer account, SLA view, cancel and notes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import NotFound
from quartier.events.outbox import events_deliver
from quartier.jobs.models import JobRequest
from quartier.jobs.states import RequestState
from quartier.partners.cases.selectors import case_get
from quartier.partners.cases.services import case_create, case_note_add
from quartier.partners.models import Case, Partner, Program, WebhookEndpoint, WebhookMessage
from quartier.partners.states import EscalationReason
from tests.factories import make_helper
from tests.partners.factories import make_partner, make_program


def _create(partner: Partner, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "program": "home-internet",
        "service_code": "router-setup",
        "reference": "TT-1",
        "contact_name": "Anna Muster",
        "contact_email": "anna@example.ch",
        "contact_phone": "",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "description": "",
        "products": [],
    } | fields
    return case_create(partner=partner, **values)


@pytest.fixture
def program(db: None) -> Program:
    return make_program(
        make_partner(), triage_min_resolution_rate=Decimal("0.50"), triage_min_cases=2
    )


def _finish(case: Case, state: RequestState, reason: str = "") -> None:
    JobRequest.objects.filter(pk=case.request_id).update(state=state)
    if state == RequestState.ESCALATED:
        Case.objects.filter(pk=case.pk).update(
            escalated_at=timezone.now(), escalation_reason=reason or EscalationReason.HELPER
        )


def test_a_service_the_crowd_rarely_resolves_goes_straight_to_technicians(
    program: Program,
) -> None:
    WebhookEndpoint.objects.create(
        partner=program.partner,
        url="https://crm.example/hooks",
        secret="whsec_dGVzdA==",
        events=["case.created", "case.escalated"],
    )
    for ref in ("A", "B"):
        _finish(_create(program.partner, reference=ref), RequestState.ESCALATED)

    case = _create(program.partner, reference="C")

    assert case.escalation_reason == EscalationReason.TRIAGE
    assert case.request.state == RequestState.ESCALATED
    assert not hasattr(case.request, "dispatch")  # never offered to helpers
    events_deliver()  # the worker writes the webhooks after commit
    events = list(
        WebhookMessage.objects.filter(case=case).order_by("id").values_list("event_type", flat=True)
    )
    assert events == ["case.created", "case.escalated"]


def test_triage_waits_for_enough_finished_cases(program: Program) -> None:
    _finish(_create(program.partner, reference="A"), RequestState.ESCALATED)
    _create(program.partner, reference="open")  # not finished: does not count

    case = _create(program.partner, reference="C")

    assert case.escalated_at is None
    assert case.request.dispatch.state == "active"


def test_a_service_resolved_often_enough_is_dispatched(program: Program) -> None:
    _finish(_create(program.partner, reference="A"), RequestState.ESCALATED)
    _finish(_create(program.partner, reference="B"), RequestState.COMPLETED)  # 50%: not below

    case = _create(program.partner, reference="C")

    assert case.escalated_at is None
    assert case.request.state == RequestState.REQUESTED


def test_triaged_cases_do_not_keep_a_service_in_triage(program: Program) -> None:
    _finish(_create(program.partner, reference="A"), RequestState.COMPLETED)
    _finish(_create(program.partner, reference="B"), RequestState.COMPLETED)
    for ref in ("T1", "T2", "T3"):
        _finish(_create(program.partner, reference=ref), RequestState.ESCALATED, "triage")

    assert _create(program.partner, reference="C").escalated_at is None


def test_triage_off_when_the_program_has_no_threshold(db: None) -> None:
    program = make_program(make_partner(), triage_min_cases=1)
    _finish(_create(program.partner, reference="A"), RequestState.ESCALATED)

    assert _create(program.partner, reference="B").escalated_at is None


def test_the_customer_is_created_without_a_password(program: Program) -> None:
    case = _create(program.partner, contact_name="Anna Muster", contact_phone="+41 79 1")

    customer = User.objects.get(email="anna@example.ch")
    assert case.request.customer == customer
    assert customer.is_customer
    assert not customer.is_helper
    assert not customer.has_usable_password()
    assert customer.full_name == "Anna Muster"


def test_a_helper_only_account_is_asked_not_bound_nor_revealed(program: Program) -> None:
    helper = make_helper(email="helper@example.ch", is_customer=False)

    case = _create(program.partner, contact_email="helper@example.ch")

    assert case.request.customer is None
    assert case.request.pending_contact.email == "helper@example.ch"
    helper.refresh_from_db()
    assert not helper.is_customer
    assert not helper.requests.exists()
    assert helper.notifications.filter(kind="case_contact").count() == 1


def test_sla_deadlines_come_from_the_program(program: Program) -> None:
    Program.objects.filter(pk=program.pk).update(
        sla_first_offer_minutes=60, sla_completion_hours=24
    )
    before = timezone.now()

    case = _create(program.partner)

    assert before + timedelta(minutes=60) <= case.first_offer_due_at
    assert case.first_offer_due_at <= timezone.now() + timedelta(minutes=60)
    assert abs(case.completion_due_at - case.created_at - timedelta(hours=24)) < timedelta(
        seconds=5
    )
    assert case.request.window_end == case.completion_due_at


def test_case_view_turns_at_risk_then_breached(program: Program) -> None:
    case = _create(program.partner)
    assert case_get(program.partner, case.pk).sla_status == "on_track"

    Case.objects.filter(pk=case.pk).update(
        created_at=timezone.now() - timedelta(minutes=200),
        first_offer_due_at=timezone.now() + timedelta(minutes=10),
    )
    assert case_get(program.partner, case.pk).sla_status == "at_risk"

    Case.objects.filter(pk=case.pk).update(first_offer_due_at=timezone.now() - timedelta(minutes=1))
    assert case_get(program.partner, case.pk).sla_status == "breached"


def test_notes_of_another_partner_are_not_found(program: Program) -> None:
    case = _create(program.partner)
    other = make_partner("homefix", "HomeFix")

    with pytest.raises(NotFound):
        case_note_add(partner=other, case_id=case.pk, text="hi")
    assert case.notes.count() == 0
