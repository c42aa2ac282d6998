"""A booking's own life, beside its request's (jobs.states).

A request may have several bookings over time (a helper cancels and the job is dispatched
again; later: recurring visits, several helpers), but at most one live booking at once —
the database holds that (`one_live_booking_per_request`).
"""

from __future__ import annotations

from django.db import models


class BookingState(models.TextChoices):
    BOOKED = "booked", "Booked"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


#: A live booking holds the helper's slot and is the request's current booking.
LIVE = frozenset({BookingState.BOOKED, BookingState.IN_PROGRESS})

TRANSITIONS: dict[BookingState, frozenset[BookingState]] = {
    BookingState.BOOKED: frozenset({BookingState.IN_PROGRESS, BookingState.CANCELLED}),
    # Cancelled while in progress = released: the helper handed the job back (escalation).
    BookingState.IN_PROGRESS: frozenset({BookingState.COMPLETED, BookingState.CANCELLED}),
    BookingState.COMPLETED: frozenset(),
    BookingState.CANCELLED: frozenset(),
}


def can_move(source: BookingState | str, target: BookingState | str) -> bool:
    return BookingState(target) in TRANSITIONS[BookingState(source)]
