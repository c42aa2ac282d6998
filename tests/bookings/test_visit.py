"""The visit: check-in no earlier than 30 minutes ahead, check-out billing the time worked
in units, the customer's sign-off (or the tick's after 48 hours) settling the job."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.disputes import dispute_open
from quartier.bookings.models import Booking, BookingMove
from quartier.bookings.services import offer_accept
from quartier.bookings.visit import booking_auto_sign_off
from quartier.events import outbox
from quartier.events.models import DomainEvent
from quartier.notifications.models import Notification
from tests.factories import arrive, make_booking, make_customer, make_request, play_visit

pytestmark = pytest.mark.django_db


def settled() -> int:
    return DomainEvent.objects.filter(kind="job.settled").count()


def moves(booking) -> list[tuple[str, str, int | None, str]]:
    return list(
        BookingMove.objects.filter(booking=booking).values_list(
            "from_state", "to_state", "actor_id", "reason"
        )
    )


def test_check_in_before_the_half_hour_is_refused(api_as, customer, helper):
    booking = make_booking(customer, helper)  # days ahead
    refused = api_as(helper).post(f"/bookings/{booking.pk}/check-in")
    assert refused.status_code == 409
    assert refused.data["code"] == "too_early"
    assert Booking.objects.get(pk=booking.pk).state == "booked"
    assert not BookingMove.objects.exists()

    start = timezone.now() + timedelta(minutes=29)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    checked_in = api_as(helper).post(f"/bookings/{booking.pk}/check-in")
    assert checked_in.status_code == 200, checked_in.data
    assert checked_in.data["visit_state"] == "in_progress"
    assert moves(booking) == [("booked", "in_progress", helper.pk, "")]


def test_an_operator_checks_in_early_only_with_a_reason_which_is_audited(api_as, customer, helper):
    booking = make_booking(customer, helper)
    operator = make_customer(email="ops@quartier.example", is_staff=True)
    nameless = api_as(operator).post(f"/bookings/{booking.pk}/check-in")
    assert nameless.status_code == 422
    assert "reason" in nameless.data["errors"]
    done = api_as(operator).post(
        f"/bookings/{booking.pk}/check-in", {"reason": "helper's phone died on site"}
    )
    assert done.status_code == 200, done.data
    assert moves(booking) == [("booked", "in_progress", operator.pk, "helper's phone died on site")]


def test_the_customer_cannot_check_in_or_out(api_as, customer, helper):
    booking = arrive(make_booking(customer, helper))
    assert api_as(customer).post(f"/bookings/{booking.pk}/check-in").status_code == 403
    play_visit(booking, until="checked_in")
    assert api_as(customer).post(f"/bookings/{booking.pk}/check-out").status_code == 403
    assert api_as(helper).post(f"/bookings/{booking.pk}/sign-off").status_code == 403


@pytest.mark.parametrize(
    ("path", "state"),
    [
        ("check-out", "booked"),
        ("sign-off", "booked"),
        ("sign-off", "in_progress"),
        ("check-in", "awaiting_sign_off"),
        ("check-out", "completed"),
        ("sign-off", "completed"),
    ],
)
def test_illegal_moves_are_409_and_change_nothing(api_as, customer, helper, path, state):
    booking = arrive(make_booking(customer, helper))
    if state != "booked":
        until = {"in_progress": "checked_in", "awaiting_sign_off": "checked_out"}
        play_visit(booking, until=until.get(state, "signed_off"))
    before = (Booking.objects.get(pk=booking.pk).state, BookingMove.objects.count(), settled())
    actor = customer if path == "sign-off" else helper
    response = api_as(actor).post(f"/bookings/{booking.pk}/{path}")
    assert response.status_code == 409, response.data
    assert response.data["code"] == "illegal_state"
    assert (Booking.objects.get(pk=booking.pk).state, BookingMove.objects.count(), settled()) == (
        before
    )


def hourly_booking(api_as, customer, helper, rate=6000):
    request = make_request(customer)
    start = request.window_start + timedelta(hours=1)
    offer = api_as(helper).post(
        f"/requests/{request.pk}/offers",
        {
            "proposed_start": start.isoformat(),
            "proposed_end": (start + timedelta(hours=2)).isoformat(),
            "pricing": "hourly",
            "hourly_rate_minor": rate,
            "estimated_hours": "2",
            "lines": [{"kind": "travel", "label": "Travel", "unit_minor": 1500}],
        },
    )
    assert offer.status_code == 201, offer.data
    return arrive(offer_accept(actor=customer, offer_id=offer.data["id"]))


@pytest.mark.parametrize(
    ("worked", "units", "hours"),
    [
        (timedelta(minutes=61), 5, "1.25"),  # a started unit counts whole
        (timedelta(minutes=60), 4, "1"),
        (timedelta(minutes=2), 1, "0.25"),
        (timedelta(hours=3, minutes=14, seconds=30), 13, "3.25"),
    ],
)
def test_check_out_bills_the_units_worked(api_as, customer, helper, worked, units, hours):
    booking = hourly_booking(api_as, customer, helper)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api_as(helper).post(f"/bookings/{booking.pk}/check-in")
    with time_machine.travel(start + worked, tick=False):
        shown = api_as(customer).get(f"/bookings/{booking.pk}").data["billed_units"]
        assert shown["units"] == units  # what the customer sees before check-out
        done = api_as(helper).post(f"/bookings/{booking.pk}/check-out", {"outcome": "fixed"})
    assert done.status_code == 200, done.data
    labour = done.data["lines"][0]
    assert (labour["kind"], labour["quantity"]) == ("labour", hours)
    assert labour["total_minor"] == units * 1500  # 60.00 an hour: 15.00 a unit
    assert done.data["price_minor"] == units * 1500 + 1500
    assert done.data["billed_units"]["units"] == units
    assert done.data["visit_state"] == "awaiting_sign_off"


def test_the_billing_unit_is_configurable(api_as, customer, helper, settings):
    settings.BOOKING_BILLING_UNIT_MINUTES = 30
    booking = hourly_booking(api_as, customer, helper)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api_as(helper).post(f"/bookings/{booking.pk}/check-in")
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        done = api_as(helper).post(f"/bookings/{booking.pk}/check-out")
    assert done.data["lines"][0]["quantity"] == "1"
    assert done.data["billed_units"]["units"] == 2


def test_the_job_is_settled_at_sign_off_not_at_check_out(api_as, customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_out")
    assert settled() == 0
    told = Notification.objects.filter(user=customer).order_by("-pk").first()
    assert told is not None
    assert told.url == f"/bookings/{booking.pk}"
    signed = api_as(customer).post(f"/bookings/{booking.pk}/sign-off")
    assert signed.status_code == 200
    assert signed.data["state"] == "completed"
    assert signed.data["visit_state"] == "completed"
    assert settled() == 1
    assert Notification.objects.filter(user=helper, title__startswith="Bestätigt:").exists()
    assert moves(booking)[-1] == ("awaiting_sign_off", "completed", customer.pk, "")


def test_the_tick_signs_off_after_48_hours_once(customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_out")
    checked_out = Booking.objects.get(pk=booking.pk).checked_out_at
    with time_machine.travel(checked_out + timedelta(hours=47, minutes=59), tick=False):
        assert booking_auto_sign_off() == 0
    with time_machine.travel(checked_out + timedelta(hours=48), tick=False):
        assert booking_auto_sign_off() == 1
        assert booking_auto_sign_off() == 0  # idempotent
    booking.refresh_from_db()
    assert booking.state == "completed"
    assert booking.request.state == "completed"
    assert settled() == 1
    assert moves(booking)[-1][:3] == ("awaiting_sign_off", "completed", None)
    # The customer is told in their language (German here) and asked to review.
    assert Notification.objects.filter(user=customer, title__contains="wie war es").exists()


def test_an_open_dispute_holds_the_automatic_sign_off(customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_out")
    dispute_open(
        actor=customer,
        booking_id=booking.pk,
        reason="poor_quality",
        description="The box still does not connect.",
    )
    checked_out = Booking.objects.get(pk=booking.pk).checked_out_at
    with time_machine.travel(checked_out + timedelta(days=5), tick=False):
        assert booking_auto_sign_off() == 0
    assert Booking.objects.get(pk=booking.pk).state == "awaiting_sign_off"
    assert settled() == 0


def test_couldnt_fix_it_ends_the_booking_without_settlement(api_as, customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_in")
    done = api_as(helper).post(
        f"/bookings/{booking.pk}/check-out",
        {"outcome": "not_fixed", "note": "The cable in the wall is broken."},
    )
    assert done.status_code == 200, done.data
    assert done.data["visit_state"] == "cancelled"
    outbox.events_deliver()
    assert settled() == 0
    event = DomainEvent.objects.get(kind="booking.not_fixed")
    assert event.payload["note"] == "The cable in the wall is broken."
    assert moves(booking)[-1][:2] == ("in_progress", "cancelled")
    assert api_as(customer).post(f"/bookings/{booking.pk}/sign-off").status_code == 409
