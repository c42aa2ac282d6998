"""Plans failing on a request for several helpers (a move for two): a helper's no-show and
the customer asking for another helper concern only that helper's place. With the
customer's consent the place opens again for dispatch; without, the request goes on with the
other helper, and ends when no place is left to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quartier.bookings.models import Booking
from quartier.bookings.no_show import no_show_decide
from quartier.bookings.plan_change_models import NoShowReport
from quartier.bookings.services import offer_accept
from quartier.events.models import DomainEvent
from quartier.jobs.models import JobRequest
from tests.factories import make_customer, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def move(customer):
    anna, ben = (
        make_helper(email=f"mover-{n}@example.com", postcode="8003", skills=["tv-set-top-box"])
        for n in ("anna", "ben")
    )
    job = make_request(customer, helpers_needed=2)
    a = offer_accept(actor=customer, offer_id=make_offer(anna, job).pk)
    b = offer_accept(actor=customer, offer_id=make_offer(ben, job).pk)
    assert JobRequest.objects.get(pk=job.pk).state == "booked"
    return job, a, b


@pytest.fixture
def operator(db):
    return make_customer(email="ops@quartier.example", is_staff=True)


def _helper_no_show(api_as, operator, booking, *, another: bool) -> None:
    with time_machine.travel(booking.starts_at + timedelta(minutes=40), tick=False):
        reported = api_as(booking.customer).post(
            f"/bookings/{booking.pk}/no-show", {"another_helper": another}
        )
    assert reported.status_code == 200, reported.data
    report = NoShowReport.objects.get(booking=booking)
    no_show_decide(actor=operator, report_id=report.pk, upheld=True, resolution="Not there.")


def _state(job) -> str:
    return JobRequest.objects.get(pk=job.pk).state


def _redispatched(booking) -> bool:
    event = DomainEvent.objects.get(kind="booking.cancelled", payload__booking_id=booking.pk)
    return bool(event.payload["redispatched"])


def test_a_no_show_with_consent_reopens_only_that_place(api_as, operator, move):
    job, anna_booking, ben_booking = move
    _helper_no_show(api_as, operator, ben_booking, another=True)
    assert Booking.objects.get(pk=ben_booking.pk).state == "cancelled"
    assert Booking.objects.get(pk=anna_booking.pk).state == "booked"  # Anna keeps hers
    assert _state(job) == "requested"  # dispatch looks for a second helper
    assert _redispatched(ben_booking) is True
    carl = make_helper(email="carl@example.com", postcode="8003", skills=["tv-set-top-box"])
    again = offer_accept(actor=job.customer, offer_id=make_offer(carl, job).pk)
    assert again.slot == ben_booking.slot
    assert _state(job) == "booked"


def test_a_no_show_without_consent_leaves_the_place_empty_and_the_move_goes_on(
    api_as, operator, move
):
    job, anna_booking, ben_booking = move
    _helper_no_show(api_as, operator, ben_booking, another=False)
    assert _state(job) == "booked"  # Anna still comes
    assert _redispatched(ben_booking) is False
    assert Booking.objects.get(pk=anna_booking.pk).state == "booked"


def test_when_no_place_is_left_to_do_the_request_ends(api_as, operator, move):
    job, anna_booking, ben_booking = move
    _helper_no_show(api_as, operator, ben_booking, another=False)
    _helper_no_show(api_as, operator, anna_booking, another=False)
    assert _state(job) == "cancelled"


def test_the_customer_asks_for_another_helper_for_one_unconfirmed_place(api_as, move):
    job, anna_booking, ben_booking = move
    with time_machine.travel(ben_booking.starts_at - timedelta(hours=11), tick=False):
        asked = api_as(job.customer).post(f"/bookings/{ben_booking.pk}/another-helper")
    assert asked.status_code == 200, asked.data
    assert Booking.objects.get(pk=ben_booking.pk).state == "cancelled"
    assert Booking.objects.get(pk=anna_booking.pk).state == "booked"
    assert _state(job) == "requested"
    assert _redispatched(ben_booking) is True
