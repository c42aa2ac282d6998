"""Races on booking: concurrent accepts never double-book a helper or a request.

The threads call the booking service directly, each on its own database connection, lined
up on a barrier so their transactions overlap. SQLite serialises them with IMMEDIATE
transactions; PostgreSQL lets them run side by side and relies on row locks, the exclusion
constraint (no overlapping live bookings per helper) and the partial unique index (one
accepted offer per request).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from quartier.bookings.models import Booking, Offer
from quartier.bookings.services import offer_accept
from quartier.errors import Conflict
from quartier.jobs.models import JobRequest, RequestEvent
from tests.factories import make_booking, make_customer, make_helper, make_offer, make_request
from tests.races import race, reference_data_load


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Iterator[None]:
    """Leave the test database as we found it: the flushes after these transactional tests
    empty it, and tests that run later expect the postcodes and the catalogue."""
    yield
    with django_db_blocker.unblock():
        reference_data_load()


def split(outcomes: list[Any]) -> tuple[list[Booking], list[Exception]]:
    bookings = [o for o in outcomes if isinstance(o, Booking)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(bookings) + len(errors) == len(outcomes), outcomes
    return bookings, errors


def live_bookings(helper_id: int) -> int:
    return Booking.objects.filter(helper_id=helper_id, cancelled_at__isnull=True).count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_one_helper_cannot_be_booked_twice_for_the_same_time_by_two_customers():
    helper = make_helper(email="hans@example.com", postcode="8003", radius_km=10)
    anna = make_customer(email="anna@example.com")
    ben = make_customer(email="ben@example.com")
    # Two customers, two requests in Zürich, the helper offers the same two hours on both.
    offers = [make_offer(helper, make_request(customer)) for customer in (anna, ben)]
    assert offers[0].proposed_start == offers[1].proposed_start

    outcomes = race(
        lambda: offer_accept(actor=anna, offer_id=offers[0].pk),
        lambda: offer_accept(actor=ben, offer_id=offers[1].pk),
    )

    bookings, errors = split(outcomes)
    assert len(bookings) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert errors[0].status == 409
    assert errors[0].code == "helper_double_booked"
    assert live_bookings(helper.pk) == 1
    # The loser's request is still open for other offers; its offer is still pending.
    winner_offer = bookings[0].offer_id
    loser_offer = next(o for o in offers if o.pk != winner_offer)
    loser_offer.refresh_from_db()
    assert loser_offer.status == "pending"
    assert JobRequest.objects.get(pk=loser_offer.request_id).state == "offered"
    assert JobRequest.objects.filter(state="booked").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_the_same_offer_accepted_twice_at_once_books_once():
    helper = make_helper(email="hans@example.com", postcode="8003")
    anna = make_customer(email="anna@example.com")
    request = make_request(anna)
    offer = make_offer(helper, request)

    outcomes = race(
        lambda: offer_accept(actor=anna, offer_id=offer.pk),
        lambda: offer_accept(actor=anna, offer_id=offer.pk),
    )

    bookings, errors = split(outcomes)
    assert len(bookings) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert errors[0].status == 409
    assert Booking.objects.filter(request=request).count() == 1
    assert live_bookings(helper.pk) == 1
    offer.refresh_from_db()
    assert offer.status == "accepted"
    # The audit trail shows the request booked once, not twice.
    booked_events = RequestEvent.objects.filter(request=request, to_state="booked")
    assert booked_events.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_offers_on_one_request_accepted_at_once_book_only_one():
    anna = make_customer(email="anna@example.com")
    hans = make_helper(email="hans@example.com", postcode="8003")
    otto = make_helper(email="otto@example.com", postcode="8004")
    request = make_request(anna)
    offers = [make_offer(hans, request), make_offer(otto, request, hours_in=3)]

    outcomes = race(*[(lambda o=o: offer_accept(actor=anna, offer_id=o.pk)) for o in offers])

    bookings, errors = split(outcomes)
    assert len(bookings) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert Booking.objects.filter(request=request).count() == 1
    statuses = sorted(Offer.objects.filter(request=request).values_list("status", flat=True))
    assert statuses == ["accepted", "declined"]
    job = JobRequest.objects.get(pk=request.pk)
    assert job.state == "booked"
    assert job.booked_helper_id == bookings[0].helper_id
    assert Offer.objects.get(status="accepted").pk == bookings[0].offer_id


# --- what the database itself refuses, whatever the services do ------------------------


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL has the exclusion constraint; SQLite relies on the service's "
    "check inside its IMMEDIATE (serialised) write transaction.",
)
def test_database_refuses_an_overlapping_live_booking_on_postgresql(customer, helper):
    booking = make_booking(customer, helper)
    # A second request and offer for the same helper, then a booking row written directly
    # through the ORM, bypassing offer_accept and its overlap check.
    other_request = make_request(make_customer(email="ben@example.com"))
    other_offer = make_offer(helper, other_request)
    overlapping = Booking(
        request=other_request,
        offer=other_offer,
        helper=helper,
        customer=other_request.customer,
        starts_at=booking.starts_at + timedelta(minutes=30),
        ends_at=booking.ends_at + timedelta(minutes=30),
        price_minor=5000,
        currency="CHF",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()
    assert live_bookings(helper.pk) == 1

    # Back to back is fine (the range is half-open), and so is overlapping a cancelled one.
    overlapping.starts_at, overlapping.ends_at = (
        booking.ends_at,
        booking.ends_at + timedelta(hours=1),
    )
    with transaction.atomic():
        overlapping.save()
    Booking.objects.filter(pk=booking.pk).update(cancelled_at=timezone.now())
    Booking.objects.filter(pk=overlapping.pk).update(starts_at=booking.starts_at)
    assert live_bookings(helper.pk) == 1


@pytest.mark.django_db
def test_database_refuses_two_accepted_offers_for_one_request(customer, helper):
    otto = make_helper(email="otto@example.com", postcode="8004")
    request = make_request(customer)
    first = make_offer(helper, request)
    second = make_offer(otto, request, hours_in=3)
    Offer.objects.filter(pk=first.pk).update(status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=second.pk).update(status="accepted")
    assert Offer.objects.filter(request=request, status="accepted").count() == 1
    second.refresh_from_db()
    assert second.status == "pending"
