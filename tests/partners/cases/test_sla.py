"""SLA: a case nobody accepts is handed to the partner when its first-offer deadline passes;
a booked case nobody started by its completion deadline too; the status partners see."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.bookings.services import booking_complete
from quartier.dispatch.services import dispatch_tick, invitation_accept
from quartier.events.outbox import events_deliver
from quartier.partners.cases.sla import sla_status, sla_sweep
from quartier.partners.models import Case, WebhookMessage
from quartier.partners.tasks import partners_tick
from tests.factories import play_visit, sign_off
from tests.partners.test_webhooks_support import (
    deliver_due,
    invite,
    open_case,
    receiver,
    setup_partner,
    webhook_settings,
)

__all__ = ["receiver", "webhook_settings"]  # fixtures


def fresh(case: Case) -> Case:
    return Case.objects.select_related("request").get(pk=case.pk)


@pytest.mark.django_db
def test_the_first_offer_deadline_escalates_the_case_on_time(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    invite(case)  # invited, but nobody accepts
    due = case.first_offer_due_at

    with time_machine.travel(due - timedelta(minutes=1), tick=False):
        dispatch_tick()
        assert fresh(case).escalated_at is None
        assert sla_status(fresh(case)) == "at_risk"
    with time_machine.travel(due + timedelta(seconds=30), tick=False):
        dispatch_tick()
        events_deliver()  # the worker hands the deadline to partners
        escalated = fresh(case)
        assert escalated.request.state == "escalated"
        assert escalated.escalation_reason == "sla"
        assert due <= escalated.escalated_at <= due + timedelta(seconds=30)
        assert sla_status(escalated) == "breached"
        deliver_due()
        dispatch_tick()  # again: nothing more happens

    assert receiver.events() == ["case.created", "case.matched", "case.escalated"]
    message = WebhookMessage.objects.get(event_type="case.escalated")
    assert message.payload["data"]["escalation"]["invitations"] == 1
    assert message.payload["data"]["sla_status"] == "breached"


@pytest.mark.django_db
def test_a_booked_case_nobody_started_is_escalated_at_the_completion_deadline(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    events_deliver()  # partners notes the first acceptance

    with time_machine.travel(case.completion_due_at - timedelta(minutes=5), tick=False):
        assert partners_tick().cases_escalated == 0
        assert sla_status(fresh(case)) == "at_risk"
    with time_machine.travel(case.completion_due_at + timedelta(minutes=1), tick=False):
        assert partners_tick().cases_escalated == 1
        assert sla_sweep() == 0  # once

    case = fresh(case)
    assert (case.request.state, case.escalation_reason) == ("escalated", "sla")
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert booking.cancelled_by_id is None


@pytest.mark.django_db
def test_a_case_in_progress_is_never_taken_from_the_helper(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    play_visit(booking, until="checked_in")

    with time_machine.travel(case.completion_due_at + timedelta(hours=1), tick=False):
        assert sla_sweep() == 0
        assert sla_status(fresh(case)) == "breached"
        booking_complete(actor=setup.helper, booking_id=booking.pk)
        sign_off(booking)
        assert sla_status(fresh(case)) == "breached"  # done, but late
    assert fresh(case).request.state == "completed"
    assert not Booking.objects.filter(cancelled_at__isnull=False).exists()


@pytest.mark.django_db
def test_sla_status_through_a_case(receiver):
    setup = setup_partner(receiver.url)
    case = open_case(setup)
    assert sla_status(fresh(case)) == "on_track"
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    assert sla_status(fresh(case)) == "on_track"
    play_visit(booking.pk)
    assert sla_status(fresh(case)) == "met"
    assert sla_status(fresh(case), timezone.now() + timedelta(days=30)) == "met"
