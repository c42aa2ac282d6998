"""A request for several helpers (a move for two): posted, offered, booked place by place,
each booking with its own visit and sign-off; a helper's cancellation reopens one place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartier.bookings.models import Booking, Offer
from quartier.bookings.multi import request_cancel_whole
from quartier.bookings.services import booking_cancel, offer_accept
from quartier.errors import Conflict, InvalidInput
from quartier.events.models import DomainEvent as Event
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for, request_view
from tests.factories import make_helper, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db


def helpers(n: int) -> list:
    return [
        make_helper(email=f"mover{i}@example.com", postcode="8003", skills=["tv-set-top-box"])
        for i in range(n)
    ]


def state(request: JobRequest) -> str:
    return JobRequest.objects.get(pk=request.pk).state


def test_two_helpers_booked_one_by_one_make_the_request_booked(customer):
    anna, ben, carl = helpers(3)
    move = make_request(customer, helpers_needed=2)
    offers = [
        make_offer(h, move, hours_in=i + 1, price=8000 + i * 100)
        for i, h in enumerate((anna, ben, carl))
    ]

    first = offer_accept(actor=customer, offer_id=offers[0].pk)
    # One of two places booked: still open for offers, the others still pending.
    assert state(move) == "offered"
    assert Offer.objects.get(pk=offers[1].pk).status == "pending"
    # The first booked helper already sees the address; the others do not.
    assert request_view(anna, get_request_for(anna, move.pk)).street_address
    assert request_view(ben, get_request_for(ben, move.pk)).street_address is None

    second = offer_accept(actor=customer, offer_id=offers[1].pk)
    assert state(move) == "booked"
    assert {first.slot, second.slot} == {1, 2}
    # Each at its own price; the third offer was not chosen.
    assert (first.price_minor, second.price_minor) == (8000, 8100)
    assert Offer.objects.get(pk=offers[2].pk).status == "declined"
    view = request_view(customer, get_request_for(customer, move.pk))
    assert view.helpers_needed == 2
    assert view.booked_helper_ids == [anna.pk, ben.pk]


def test_a_third_accept_on_a_request_for_two_is_refused(customer):
    anna, ben, carl = helpers(3)
    move = make_request(customer, helpers_needed=2)
    offers = [make_offer(h, move, hours_in=1) for h in (anna, ben, carl)]
    offer_accept(actor=customer, offer_id=offers[0].pk)
    offer_accept(actor=customer, offer_id=offers[1].pk)
    with pytest.raises(Conflict):
        offer_accept(actor=customer, offer_id=offers[2].pk)
    assert Booking.objects.filter(request=move).count() == 2


def test_no_helper_twice_on_the_same_request(customer):
    (anna,) = helpers(1)
    move = make_request(customer, helpers_needed=2)
    make_offer(anna, move)
    with pytest.raises(Conflict) as caught:
        make_offer(anna, move, hours_in=3)
    assert caught.value.code == "duplicate_offer"


def test_a_helper_cancelling_reopens_only_their_place(customer):
    anna, ben, carl = helpers(3)
    move = make_request(customer, helpers_needed=2)
    a = offer_accept(actor=customer, offer_id=make_offer(anna, move).pk)
    b = offer_accept(actor=customer, offer_id=make_offer(ben, move).pk)
    booking_cancel(actor=ben, booking_id=b.pk, reason="ill")
    # Back to dispatch for one place: Anna keeps hers.
    assert state(move) == "requested"
    assert Booking.objects.get(pk=a.pk).state == "booked"
    cancelled = Event.objects.filter(kind="booking.cancelled").last()
    assert cancelled is not None
    assert cancelled.payload["redispatched"] is True
    c = offer_accept(actor=customer, offer_id=make_offer(carl, move).pk)
    assert c.slot == b.slot
    assert state(move) == "booked"


def test_each_booking_is_signed_off_and_the_request_completes_with_the_last(customer):
    anna, ben = helpers(2)
    move = make_request(customer, helpers_needed=2)
    a = offer_accept(actor=customer, offer_id=make_offer(anna, move).pk)
    b = offer_accept(actor=customer, offer_id=make_offer(ben, move, hours_in=1).pk)
    play_visit(a)
    assert Booking.objects.get(pk=a.pk).state == "completed"
    assert state(move) == "in_progress"
    play_visit(b)
    assert state(move) == "completed"
    # Each booking settled on its own: one job.settled per booking.
    settled = Event.objects.filter(kind="job.settled").values_list("payload", flat=True)
    assert sorted(p["booking_id"] for p in settled) == sorted([a.pk, b.pk])


def test_the_customer_cancels_the_whole_request_with_its_bookings(customer):
    anna, ben = helpers(2)
    move = make_request(customer, helpers_needed=2, days=5)
    a = offer_accept(actor=customer, offer_id=make_offer(anna, move).pk)
    request_cancel_whole(actor=customer, request_id=move.pk, reason="moving later")
    assert state(move) == "cancelled"
    assert Booking.objects.get(pk=a.pk).state == "cancelled"
    offer = make_offer  # nobody can offer any more
    with pytest.raises(Conflict):
        offer(ben, move)


def test_helpers_needed_out_of_range_is_a_field_error(customer):
    with pytest.raises(InvalidInput) as caught:
        make_request(customer, helpers_needed=7)
    assert caught.value.code == "helpers_needed_out_of_range"


def test_a_one_helper_request_books_as_before(customer):
    anna, ben = helpers(2)
    job = make_request(customer)
    offers = [make_offer(anna, job), make_offer(ben, job, hours_in=3)]
    booking = offer_accept(actor=customer, offer_id=offers[0].pk)
    assert booking.slot == 1
    assert state(job) == "booked"
    assert JobRequest.objects.get(pk=job.pk).booked_helper_id == anna.pk
    assert Offer.objects.get(pk=offers[1].pk).status == "declined"


def visits(customer, days=(2, 3, 4)):
    from quartier.jobs.multi import VisitWindow
    from tests.factories import window

    windows = []
    for d in days:
        start, _ = window(d)
        windows.append(VisitWindow(start, start + timedelta(hours=6)))
    return make_request(customer, visits=windows, title="Garden over three days")


def test_a_multi_day_request_books_each_visit_and_one_helper_may_come_every_day(customer):
    anna, ben = helpers(2)
    garden = visits(customer)
    numbers = [v.number for v in garden.visits.all()]
    assert numbers == [1, 2, 3]
    day = [v.starts_at for v in garden.visits.all()]
    offers = [
        Offer.objects.get(pk=make_offer_at(anna, garden, day[0]).pk),
        Offer.objects.get(pk=make_offer_at(anna, garden, day[1]).pk),
        Offer.objects.get(pk=make_offer_at(ben, garden, day[1]).pk),
    ]
    assert [o.visit for o in offers] == [1, 2, 2]
    offer_accept(actor=customer, offer_id=offers[0].pk)
    offer_accept(actor=customer, offer_id=offers[1].pk)
    # Visit 2 is Anna's: Ben's offer for it is declined; visit 3 is still open.
    assert Offer.objects.get(pk=offers[2].pk).status == "declined"
    assert state(garden) == "offered"
    third = offer_accept(actor=customer, offer_id=make_offer_at(ben, garden, day[2]).pk)
    assert third.slot == 3
    assert state(garden) == "booked"


def make_offer_at(helper, request, start):
    from quartier.bookings.services import offer_create

    return offer_create(
        actor=helper,
        request_id=request.pk,
        price_minor=12000,
        proposed_start=start + timedelta(hours=1),
        proposed_end=start + timedelta(hours=4),
    )


def test_an_offer_outside_every_visit_is_a_field_error(customer):
    (anna,) = helpers(1)
    garden = visits(customer, days=(2, 4))
    day_between = garden.window_start + timedelta(days=1)
    with pytest.raises(InvalidInput) as caught:
        make_offer_at(anna, garden, day_between)
    assert caught.value.code == "outside_visits"
