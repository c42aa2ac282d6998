"""A booking's own life, beside its request's (jobs.states).

    booked -> checked in -> awaiting sign-off -> signed off, and cancelled

The stored values predate the visit: `in_progress` is "checked in" and `completed` is
"signed off" (kept to spare the data a migration). Every move is a compare-and-set with an
audit row (`BookingMove`, see `visit`). A request may have several bookings over time (a
helper cancels and the job is dispatched again), but at most one live booking at once —
the database holds that (`one_live_booking_per_slot`; a request for several helpers or
visits has one place per helper or visit, see multi.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    IN_PROGRESS = "in_progress", _("Checked in")
    AWAITING_SIGN_OFF = "awaiting_sign_off", _("Awaiting sign-off")
    COMPLETED = "completed", _("Signed off")
    CANCELLED = "cancelled", _("Cancelled")


class VisitOutcome(models.TextChoices):
    """What the helper said at check-out (`unfixed` for "couldn't fix it")."""

    FIXED = "fixed", _("Fixed")
    NOT_FIXED = "not_fixed", _("Couldn't fix it")


#: The visit's names for the two states whose stored values are older than the visit.
CHECKED_IN = BookingState.IN_PROGRESS
SIGNED_OFF = BookingState.COMPLETED

#: A live booking holds the helper's slot and is the request's current booking. Once
#: checked out the helper's time is free again: awaiting sign-off is not live.
LIVE = frozenset({BookingState.BOOKED, BookingState.IN_PROGRESS})

TRANSITIONS: dict[BookingState, frozenset[BookingState]] = {
    BookingState.BOOKED: frozenset({CHECKED_IN, BookingState.CANCELLED}),
    # Cancelled once checked in = released (escalation) or checked out without a fix.
    CHECKED_IN: frozenset({BookingState.AWAITING_SIGN_OFF, BookingState.CANCELLED}),
    BookingState.AWAITING_SIGN_OFF: frozenset({SIGNED_OFF}),
    SIGNED_OFF: frozenset(),
    BookingState.CANCELLED: frozenset(),
}


def can_move(source: BookingState | str, target: BookingState | str) -> bool:
    return BookingState(target) in TRANSITIONS[BookingState(source)]
