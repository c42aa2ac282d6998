"""Holds on new bookings that higher contexts put on a helper, read here without importing
upward: a context registers a reader (a query of the held helpers' ids) in its
`AppConfig.ready()`; matching, dispatch and bookings ask `held_helper_ids` / `hold_of`.
What a helper earned is never held (payouts do not look here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

#: code -> (reader of held helper ids, what the helper is told)
_READERS: dict[str, tuple[Callable[[], QuerySet[Any]], str]] = {}


def booking_hold_register(code: str, reader: Callable[[], QuerySet[Any]], message: str) -> None:
    _READERS[code] = (reader, message)


def hold_of(helper_id: int) -> tuple[str, str] | None:
    """(code, message) of the first hold on the helper, or None."""
    for code, (reader, message) in _READERS.items():
        if reader().filter(helper_id=helper_id).exists():
            return code, message
    return None


def held_filters() -> list[QuerySet[Any]]:
    """Subqueries of held helper ids (`.values("helper_id")`), one per registered hold."""
    return [reader().values("helper_id") for reader, _ in _READERS.values()]
