"""The one way a booking's state moves: compare-and-set, with its audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict

from .models import Booking, BookingMove
from .states import BookingState, can_move


def booking_state_set(
    booking: Booking,
    target: BookingState,
    *,
    actor: User | None,
    reason: str = "",
    at: datetime | None = None,
    **changes: Any,
) -> BookingState:
    """Move `booking` to `target` from whatever legal source it is in now, writing who,
    when, from, to and why; Conflict (409) when the move is illegal from its current
    state — also when it moved meanwhile. Returns the state it came from."""
    current = Booking.objects.filter(pk=booking.pk).values_list("state", flat=True).first()
    if current is None or not can_move(current, target):
        label = BookingState(current).label if current else "gone"
        raise Conflict(
            f"This booking is {str(label).lower()}; it cannot become "
            f"{str(BookingState(target).label).lower()}.",
            code="illegal_state",
        )
    moved = Booking.objects.filter(pk=booking.pk, state=current).update(state=target, **changes)
    if moved != 1:
        raise Conflict("This booking has moved on meanwhile.", code="illegal_state")
    BookingMove.objects.create(
        booking_id=booking.pk,
        from_state=current,
        to_state=target,
        actor=actor,
        reason=reason[:200],
        at=at or timezone.now(),
    )
    return BookingState(current)
