"""A booking's own states and the events it writes after its rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.db import IntegrityError, transaction

from quartier.accounts.models import User
from quartier.bookings.models import Booking, Offer
from quartier.bookings.services import booking_cancel, booking_complete
from quartier.bookings.states import BookingState
from quartier.events import handles, outbox
from quartier.events.models import DomainEvent
from tests.factories import make_booking, make_helper, play_visit

BOOKING_KINDS = (
    "booking.created",
    "booking.started",
    "booking.checked_out",
    "booking.completed",
    "booking.cancelled",
)


def kinds() -> list[str]:
    return list(
        DomainEvent.objects.filter(kind__startswith="booking.").values_list("kind", flat=True)
    )


@pytest.fixture
def observed() -> Iterator[list[tuple[str, Booking]]]:
    """A handler that reads the booking row when it gets each booking event."""
    seen: list[tuple[str, Booking]] = []

    @handles(*BOOKING_KINDS, "job.settled", name="tests.observer")
    def observe(event: DomainEvent) -> None:
        seen.append((event.kind, Booking.objects.get(pk=event.payload["booking_id"])))

    yield seen
    outbox._registry.pop("tests.observer")


def test_a_job_played_through_writes_its_events_in_order(customer, helper, observed):
    booking = make_booking(customer, helper)
    play_visit(booking.pk)

    outbox.events_deliver()

    assert [kind for kind, _ in observed] == [
        "booking.created",
        "booking.started",
        "booking.checked_out",
        "booking.completed",
        "job.settled",
    ]
    # Each handler sees the rows as the event describes them: written before the event.
    state_seen = {kind: row.state for kind, row in observed}
    assert state_seen["booking.completed"] == BookingState.COMPLETED
    settled = DomainEvent.objects.get(kind="job.settled").payload
    assert settled["price_minor"] == booking.price_minor
    assert settled["currency"] == booking.currency
    assert settled["helper_id"] == helper.pk


def test_a_cancellation_says_who_and_when(customer, helper, observed):
    booking = make_booking(customer, helper)

    booking_cancel(actor=customer, booking_id=booking.pk, reason="Found a neighbour")
    outbox.events_deliver()

    event = DomainEvent.objects.get(kind="booking.cancelled").payload
    assert event["by"] == "customer"
    assert event["by_user_id"] == customer.pk
    assert event["reason"] == "Found a neighbour"
    row = next(row for kind, row in observed if kind == "booking.cancelled")
    assert row.state == BookingState.CANCELLED
    assert row.cancelled_at == datetime.fromisoformat(event["cancelled_at"])
    assert row.cancelled_by == customer


def test_a_failed_move_writes_no_event(customer, helper):
    booking = make_booking(customer, helper)

    with pytest.raises(Exception, match="cannot become awaiting sign-off"):
        booking_complete(actor=helper, booking_id=booking.pk)  # not started yet

    assert kinds() == ["booking.created"]
    assert Booking.objects.get(pk=booking.pk).state == BookingState.BOOKED


def _booking_by(other: User, booking: Booking) -> Booking:
    """Another helper's booking of the same request (rows written directly: no service
    books a booked request, which is what the database must hold even so)."""
    offer = Offer.objects.create(
        request=booking.request,
        helper=other,
        price_minor=booking.price_minor,
        currency=booking.currency,
        proposed_start=booking.starts_at,
        proposed_end=booking.ends_at,
        status="declined",
    )
    return Booking.objects.create(
        request=booking.request,
        offer=offer,
        helper=other,
        customer_id=booking.customer_id,
        price_minor=booking.price_minor,
        currency=booking.currency,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
    )


def test_a_request_never_has_two_live_bookings_but_may_have_another_after_a_cancel(
    customer, helper
):
    booking = make_booking(customer, helper)
    other = make_helper(email="second@example.ch")

    with pytest.raises(IntegrityError), transaction.atomic():
        _booking_by(other, booking)

    Booking.objects.filter(pk=booking.pk).update(state=BookingState.CANCELLED)
    again = _booking_by(other, booking)
    assert set(booking.request.bookings.values_list("pk", flat=True)) == {booking.pk, again.pk}
