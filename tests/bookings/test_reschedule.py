"""Reschedule: one side proposes, the other accepts or declines; the helper's weekly slots,
absences and the no-overlap rule hold, at the proposal and again at the acceptance."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.availability import availability_exception_add, weekly_slots_set
from quartier.bookings.before_visit import before_visit_tick
from quartier.bookings.models import Booking
from quartier.bookings.plan_change_models import RescheduleProposal
from quartier.bookings.plan_models import BookingReminder
from quartier.events.models import DomainEvent
from quartier.notifications.models import Notification
from tests.factories import make_booking, make_customer

pytestmark = pytest.mark.django_db


def times(booking: Booking) -> tuple[object, object]:
    fresh = Booking.objects.get(pk=booking.pk)
    return fresh.starts_at, fresh.ends_at


def propose(api, booking: Booking, starts_at, **extra):
    body = {"action": "propose", "starts_at": starts_at.isoformat()} | extra
    return api.post(f"/bookings/{booking.pk}/reschedule", body)


def answer(api, booking: Booking, action: str):
    return api.post(f"/bookings/{booking.pk}/reschedule", {"action": action})


def test_the_helper_proposes_and_the_customer_accepts_the_booking_moves(api_as, customer, helper):
    booking = make_booking(customer, helper)
    new_start = booking.starts_at + timedelta(days=1)
    proposed = propose(api_as(helper), booking, new_start, note="My car is in the garage.")
    assert proposed.status_code == 200, proposed.data
    assert proposed.data["proposal"]["starts_at"] is not None
    assert times(booking) == (booking.starts_at, booking.ends_at)  # nothing moves yet
    assert Notification.objects.filter(
        user=customer, title__icontains="Neuer Termin vorgeschlagen"
    ).exists()
    assert answer(api_as(helper), booking, "accept").status_code == 403  # not their own
    accepted = answer(api_as(customer), booking, "accept")
    assert accepted.status_code == 200, accepted.data
    assert times(booking) == (new_start, new_start + (booking.ends_at - booking.starts_at))
    assert accepted.data["proposal"] is None
    event = DomainEvent.objects.get(kind="booking.rescheduled")
    assert event.payload["by_user_id"] == customer.pk
    assert Notification.objects.filter(
        user=helper, title__icontains="Neuer Termin vereinbart"
    ).exists()


def test_a_declined_proposal_leaves_the_booking_as_it_was(api_as, customer, helper):
    booking = make_booking(customer, helper)
    before = times(booking)
    propose(api_as(customer), booking, booking.starts_at + timedelta(hours=3))
    declined = answer(api_as(helper), booking, "decline")
    assert declined.status_code == 200, declined.data
    assert times(booking) == before
    assert RescheduleProposal.objects.get().status == "declined"
    assert answer(api_as(customer), booking, "accept").status_code == 404  # nothing open


def test_a_time_in_the_helpers_absence_or_outside_their_slots_is_refused(api_as, customer, helper):
    booking = make_booking(customer, helper)
    away = booking.starts_at + timedelta(days=2)
    availability_exception_add(actor=helper, starts_at=away, ends_at=away + timedelta(days=1))
    absent = propose(api_as(customer), booking, away + timedelta(hours=2))
    assert absent.status_code == 409
    assert absent.data["code"] == "helper_unavailable"
    local = timezone.localtime(booking.starts_at)
    weekly_slots_set(actor=helper, slots=[(local.weekday(), time(8), time(12))])
    evening = local.replace(hour=19) + timedelta(days=7)
    refused = propose(api_as(customer), booking, evening)
    assert refused.status_code == 409
    assert refused.data["code"] == "helper_unavailable"
    morning = local.replace(hour=9) + timedelta(days=7)
    assert propose(api_as(customer), booking, morning).status_code == 200
    assert RescheduleProposal.objects.count() == 1


def test_the_no_overlap_rule_holds_at_the_proposal_and_again_at_the_acceptance(
    api_as, customer, helper
):
    booking = make_booking(customer, helper)
    other = make_booking(make_customer(email="otto@example.com"), helper, days=5)
    clash = propose(api_as(customer), booking, other.starts_at + timedelta(minutes=30))
    assert clash.status_code == 409
    assert clash.data["code"] == "helper_double_booked"
    # Free when proposed, taken by another booking before the answer.
    free = booking.starts_at + timedelta(days=1)
    assert propose(api_as(helper), booking, free).status_code == 200
    Booking.objects.filter(pk=other.pk).update(starts_at=free, ends_at=free + timedelta(hours=2))
    refused = answer(api_as(customer), booking, "accept")
    assert refused.status_code == 409
    assert refused.data["code"] == "helper_double_booked"
    assert times(booking) == (booking.starts_at, booking.ends_at)
    assert RescheduleProposal.objects.get().status == "proposed"


def test_only_the_two_parties_reschedule(api_as, customer, helper):
    booking = make_booking(customer, helper)
    operator = make_customer(email="ops@quartier.example", is_staff=True)
    stranger = make_customer(email="sam@example.com")
    later = booking.starts_at + timedelta(days=1)
    assert propose(api_as(operator), booking, later).status_code == 403
    assert propose(api_as(stranger), booking, later).status_code == 404
    assert (
        propose(api_as(customer), booking, booking.starts_at - timedelta(days=5)).status_code == 422
    )
    assert not RescheduleProposal.objects.exists()


def test_the_other_sides_open_proposal_must_be_answered_first(api_as, customer, helper):
    booking = make_booking(customer, helper)
    assert (
        propose(api_as(helper), booking, booking.starts_at + timedelta(days=1)).status_code == 200
    )
    second = propose(api_as(customer), booking, booking.starts_at + timedelta(days=2))
    assert second.status_code == 409
    assert second.data["code"] == "proposal_open"
    # The proposer may change their own mind: the earlier one lapses.
    assert (
        propose(api_as(helper), booking, booking.starts_at + timedelta(days=3)).status_code == 200
    )
    assert sorted(RescheduleProposal.objects.values_list("status", flat=True)) == [
        "lapsed",
        "proposed",
    ]


def test_a_rescheduled_visit_needs_a_new_confirmation_and_is_reminded_again(
    api_as, customer, helper
):
    booking = make_booking(customer, helper)
    with time_machine.travel(booking.starts_at - timedelta(hours=20), tick=False):
        api_as(helper).post(f"/bookings/{booking.pk}/confirm")
        before_visit_tick()
        new_start = booking.starts_at + timedelta(days=2)
        propose(api_as(customer), booking, new_start)
        answer(api_as(helper), booking, "accept")
        plan = api_as(customer).get(f"/bookings/{booking.pk}/plan").data
    assert plan["confirmed_at"] is None
    with time_machine.travel(new_start - timedelta(hours=20), tick=False):
        before_visit_tick()
    reminded = BookingReminder.objects.filter(booking=booking, kind="visit")
    assert sorted(reminded.values_list("for_start", flat=True)) == [booking.starts_at, new_start]
