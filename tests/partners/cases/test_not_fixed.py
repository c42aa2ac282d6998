"""A partner case the helper could not fix: the partner hears `case.not_fixed` (the helper's
note, the visit fee its program pays), then `case.escalated` to its technicians — never
`case.cancelled` nor `case.redispatched` — and the visit fee is settled at sign-off, paid by
the partner as its service's price would be, never the full price."""

from __future__ import annotations

import json

import pytest

from quartier.bookings.models import Booking
from quartier.bookings.visit import booking_check_out
from quartier.dispatch.services import invitation_accept
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.partners.cases.sla import case_completed_at
from quartier.partners.models import Case
from quartier.payments.balances import account_balance
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

NOTE = "The fibre socket is broken; needs a technician."


def _checked_in(receiver, visit_fee_minor: int) -> tuple[Case, Booking, int]:
    setup = setup_partner(receiver.url)
    setup.program.visit_fee_minor = visit_fee_minor
    setup.program.save(update_fields=["visit_fee_minor"])
    case = open_case(setup)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(case).pk)
    assert booking.visit_fee_minor == visit_fee_minor  # the program's terms, kept on the booking
    play_visit(booking, until="checked_in")
    return case, booking, setup.partner.pk


def _webhook(receiver, event: str) -> dict:
    [body] = [json.loads(r.body) for r in receiver.received if json.loads(r.body)["type"] == event]
    return dict(body["data"])


@pytest.mark.django_db
def test_couldnt_fix_it_tells_the_partner_escalates_and_settles_the_programs_visit_fee(receiver):
    case, booking, partner_id = _checked_in(receiver, visit_fee_minor=2500)
    booking_check_out(actor=booking.helper, booking_id=booking.pk, outcome="not_fixed", note=NOTE)
    events_deliver()  # case.not_fixed, and the escalation...
    events_deliver()  # ...whose case.escalated the next delivery writes
    assert set(deliver_due()) == {"succeeded"}

    events = receiver.events()
    assert events[-3:] == ["case.started", "case.not_fixed", "case.escalated"]
    assert "case.cancelled" not in events
    assert "case.redispatched" not in events
    told = _webhook(receiver, "case.not_fixed")
    assert (told["note"], told["visit_fee_minor"], told["currency"]) == (NOTE, 2500, "CHF")
    assert told["partner_share_minor"] == 2500  # the partner pays its service: all of it
    assert _webhook(receiver, "case.escalated")["escalation"]["helper_diagnosis"] == NOTE
    case.refresh_from_db()
    assert case.request.state == "escalated"

    booking.refresh_from_db()
    assert booking.state == "awaiting_sign_off"
    assert not DomainEvent.objects.filter(kind="job.settled").exists()
    sign_off(booking)
    [settled] = DomainEvent.objects.filter(kind="job.settled")
    assert settled.payload["price_minor"] == 2500  # not the service's 89.00
    assert (settled.payload["method"], settled.payload["partner_share_minor"]) == ("partner", 2500)
    events_deliver()
    assert account_balance(f"partner:{partner_id}:receivable:CHF") == 2500
    case.refresh_from_db()
    assert case.request.state == "escalated"  # the technicians have it, not the crowd
    assert case_completed_at(case) is None  # the fee's sign-off is not the job done


@pytest.mark.django_db
def test_without_a_visit_fee_the_booking_closes_with_nothing_due(receiver):
    _case, booking, _ = _checked_in(receiver, visit_fee_minor=0)
    booking_check_out(actor=booking.helper, booking_id=booking.pk, outcome="not_fixed", note=NOTE)
    events_deliver()
    events_deliver()
    assert set(deliver_due()) == {"succeeded"}
    assert _webhook(receiver, "case.not_fixed")["visit_fee_minor"] == 0
    assert receiver.events()[-1] == "case.escalated"
    booking.refresh_from_db()
    assert (booking.state, booking.outcome) == ("cancelled", "not_fixed")
    assert booking.cancelled_by_id is None  # no broken commitment
    assert not DomainEvent.objects.filter(kind="job.settled").exists()
