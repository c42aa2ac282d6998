"""The operator audit: every operator action leaves one row (who, when, what, why) in the
same transaction as the change; the back office lists and filters them, exports them as CSV,
and never lets anyone add, change or delete one."""

from __future__ import annotations

import csv
import io

import pytest

from quartier.accounts.appeal_models import SuspensionAppeal
from quartier.accounts.services import helper_reinstate, helper_suspend
from quartier.accounts.suspension import suspension_appeal, suspension_appeal_answer
from quartier.audit.models import OperatorAction
from quartier.bookings.disputes import dispute_open, dispute_resolve
from quartier.errors import Conflict
from quartier.messaging.services import abuse_report, abuse_report_resolve, message_send
from quartier.partners.programs.services import qualification_revoke
from quartier.vetting.models import CheckKind
from quartier.vetting.services import check_reject
from tests.factories import make_booking, make_customer, make_request
from tests.partners.factories import make_member, make_partner, make_program, make_qualified
from tests.vetting.helpers import hand_in, vet

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return make_customer(email="ops@example.com", is_staff=True, is_superuser=True)


def _rows() -> list[tuple[str, str, str, str, str]]:
    return [
        (r.actor_name, r.action, r.target_type, r.target_id, r.reason)
        for r in OperatorAction.objects.order_by("pk")
    ]


def test_suspending_and_lifting_a_suspension_are_recorded_with_their_reasons(operator, helper):
    helper_suspend(actor=operator, helper_id=helper.pk, reason="Three complaints.")
    suspension_appeal(actor=helper, text="Two were about another person.")
    appeal_id = SuspensionAppeal.objects.get(helper=helper).pk
    suspension_appeal_answer(
        actor=operator, appeal_id=appeal_id, answer="You are right.", reinstate=True
    )
    who, user = "ops@example.com", str(helper.pk)
    assert _rows() == [
        (who, "helper.suspend", "accounts.user", user, "Three complaints."),
        (who, "helper.reinstate", "accounts.user", user, "You are right."),
        (
            who,
            "suspension.appeal_reinstate",
            "accounts.suspensionappeal",
            str(appeal_id),
            "You are right.",
        ),
    ]
    row = OperatorAction.objects.first()
    assert row.actor == operator
    assert row.created_at is not None


def test_lifting_a_suspension_nobody_had_records_nothing(operator, helper):
    helper_reinstate(actor=operator, helper_id=helper.pk)
    assert _rows() == []


def test_a_dispute_decision_with_a_refund_is_recorded_once(operator, customer, helper):
    booking = make_booking(customer, helper)
    dispute = dispute_open(
        actor=customer, booking_id=booking.pk, reason="price", description="Charged twice."
    )
    dispute_resolve(actor=operator, dispute_id=dispute.pk, resolution="Refund.", refund_minor=500)
    with pytest.raises(Conflict):
        dispute_resolve(actor=operator, dispute_id=dispute.pk, resolution="Again.")
    assert _rows() == [
        (
            "ops@example.com",
            "dispute.resolve",
            "bookings.dispute",
            str(dispute.pk),
            "Refund. (refund 500 minor units)",
        ),
    ]


def test_vetting_decisions_and_message_moderation_are_recorded(operator, customer, helper):
    vet(helper, operator, CheckKind.IDENTITY)
    rejected = hand_in(helper, CheckKind.INSURANCE)
    check_reject(actor=operator, check_id=rejected.pk, reason="Policy ended in 2025.")
    job = make_request(customer)
    rude = message_send(actor=helper, request_id=job.pk, helper_id=helper.pk, body="rude")
    report = abuse_report(actor=customer, message_id=rude.pk, reason="insult")
    abuse_report_resolve(actor=operator, report_id=report.pk, uphold=True)
    actions = [(a, r) for _, a, _, _, r in _rows()]
    assert ("vetting.approve", "") in actions
    assert ("vetting.reject", "Policy ended in 2025.") in actions
    assert ("abuse_report.uphold", "insult") in actions


def test_qualification_decisions_are_recorded_for_operators_not_partners(operator, helper):
    partner = make_partner()
    program = make_program(partner)
    qualification = make_qualified(helper, program)
    qualification_revoke(
        actor=make_member(partner), qualification_id=qualification.pk, reason="Partner's call."
    )
    assert _rows() == []  # the partner's own decision, in the partner's own history

    other = make_qualified(make_customer(email="x@example.com", is_helper=True), program)
    qualification_revoke(actor=operator, qualification_id=other.pk, reason="Fraud.")
    assert [(a, r) for _, a, _, _, r in _rows()] == [("qualification.revoke", "Fraud.")]


def test_the_back_office_filters_the_trail_and_exports_what_it_shows(browser_as, operator, helper):
    second = make_customer(email="ops2@example.com", is_staff=True, is_superuser=True)
    helper_suspend(actor=operator, helper_id=helper.pk, reason="Complaints.")
    helper_reinstate(actor=second, helper_id=helper.pk)
    admin = browser_as(operator)

    page = admin.get("/admin/audit/operatoraction/?action=helper.suspend").content.decode()
    assert "Complaints." in page
    listed = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "ops@example.com" in listed
    assert "ops2@example.com" not in listed
    by_operator = admin.get("/admin/audit/operatoraction/?operator=ops2%40example.com")
    assert "helper.reinstate" in by_operator.content.decode()
    by_object = admin.get(f"/admin/audit/operatoraction/?q={helper.pk}").content.decode()
    assert "helper.suspend" in by_object
    assert "Export CSV" in page

    export = admin.get("/admin/audit/operatoraction/export/?action=helper.suspend")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == ["when", "operator", "action", "object type", "object id", "object", "reason"]
    assert [r[1:5] + r[6:] for r in rows[1:]] == [
        ["ops@example.com", "helper.suspend", "accounts.user", str(helper.pk), "Complaints."]
    ]
    everything = admin.get("/admin/audit/operatoraction/export/").content.decode()
    assert len(list(csv.reader(io.StringIO(everything)))) == 3


def test_the_trail_is_append_only_and_for_operators_only(browser_as, operator, helper, customer):
    helper_suspend(actor=operator, helper_id=helper.pk, reason="Complaints.")
    row = OperatorAction.objects.get()
    admin = browser_as(operator)
    assert admin.get("/admin/audit/operatoraction/add/").status_code == 403
    admin.post(f"/admin/audit/operatoraction/{row.pk}/change/", {"reason": "Nothing."})
    assert (
        admin.post(f"/admin/audit/operatoraction/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    row.refresh_from_db()
    assert row.reason == "Complaints."
    export = browser_as(customer).get("/admin/audit/operatoraction/export/")
    assert export.status_code == 302  # to the back office's log-in
    assert b"Complaints." not in export.content
