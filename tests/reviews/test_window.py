"""The review window opens at sign-off — not at check-out, nor at booking — and when it
ends the booking closes by itself, reviewed or not."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quartier.bookings.models import Booking
from quartier.bookings.visit import booking_auto_sign_off
from quartier.reviews.publication import reviews_tick
from quartier.reviews.services import review_create
from tests.factories import make_booking, play_visit, sign_off

pytestmark = pytest.mark.django_db


def _request_state(booking: Booking) -> str:
    return str(Booking.objects.select_related("request").get(pk=booking.pk).request.state)


def test_the_window_runs_14_days_from_a_late_sign_off(customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_out")
    checked_out = booking.checked_out_at
    assert checked_out is not None
    with time_machine.travel(checked_out + timedelta(hours=40), tick=False):
        signed = sign_off(booking)
        review_create(actor=customer, booking_id=booking.pk, rating=4, text="Good")
    assert signed.completed_at == checked_out + timedelta(hours=40)
    # 14 days after check-out (and after booking) the window is still open...
    with time_machine.travel(checked_out + timedelta(days=14, hours=1), tick=False):
        assert reviews_tick() == ""
        assert _request_state(booking) == "completed"
        review_create(actor=helper, booking_id=booking.pk, rating=5)  # the helper may still
    assert _request_state(booking) == "closed"  # both in: published and closed at once


def test_an_unreviewed_booking_closes_14_days_after_its_automatic_sign_off(customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_out")
    checked_out = booking.checked_out_at
    assert checked_out is not None
    signed_at = checked_out + timedelta(hours=49)
    with time_machine.travel(signed_at, tick=False):
        assert booking_auto_sign_off() == 1
    with time_machine.travel(signed_at + timedelta(days=13, hours=23), tick=False):
        assert reviews_tick() == ""
        assert _request_state(booking) == "completed"
    with time_machine.travel(signed_at + timedelta(days=14, minutes=1), tick=False):
        assert reviews_tick() == "1 review windows ended, 0 reviews published"
        assert reviews_tick() == ""  # idempotent
    assert _request_state(booking) == "closed"


def test_a_cancelled_earlier_booking_of_the_job_cannot_be_reviewed(api_as, customer, helper):
    from quartier.bookings.services import booking_cancel, offer_accept
    from tests.factories import make_helper, make_offer

    first = make_booking(customer, helper)
    booking_cancel(actor=helper, booking_id=first.pk, reason="Ill")
    other = make_helper(email="eva@example.com", postcode="8004", skills=["tv-set-top-box"])
    second = offer_accept(actor=customer, offer_id=make_offer(other, first.request).pk)
    play_visit(second)
    refused = api_as(customer).post(f"/bookings/{first.pk}/reviews", {"rating": 1})
    assert refused.status_code == 409
    assert refused.data["code"] == "not_completed"
    assert api_as(customer).post(f"/bookings/{second.pk}/reviews", {"rating": 5}).status_code == 201
