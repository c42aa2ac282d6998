"""What a counter-offer leans on and what ends it, apart from the counter's own moves
(`counters`), so that offer services can close counters without importing them.

- `helper_free_problem`: whether the helper can work at a time: inside their weekly hours
  (all of it in one slot of one local day; a helper without slots is flexible), no absence
  and no live booking overlapping it.
- `counters_lapse`: the offers ended (a booking was made, the helper withdrew): their open
  counters end with them.
- `uncountered_check`: one round: no other terms from a helper while a counter waits for
  them or after they answered it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.utils import timezone

from quartier.errors import Conflict

from .counter_models import Counter, CounterStatus
from .models import AvailabilityException, WeeklySlot
from .selectors import helper_overlapping_bookings

MINUTES_PER_DAY = 24 * 60


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _in_weekly_hours(helper_id: int, start: datetime, end: datetime) -> bool:
    slots = list(WeeklySlot.objects.filter(helper_id=helper_id))
    if not slots:
        return True  # flexible
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    begin = _minutes(local_start.time()) + local_start.second / 60
    if local_end.date() == local_start.date():
        finish = _minutes(local_end.time()) + local_end.second / 60
    elif (
        local_end == local_end.replace(hour=0, minute=0, second=0, microsecond=0)
        and (local_end.date() - local_start.date()).days == 1
    ):
        finish = MINUTES_PER_DAY  # ends at midnight
    else:
        return False  # over midnight: no slot spans two days
    return any(
        slot.weekday == local_start.weekday()
        and _minutes(slot.start_time) <= begin
        and finish <= (_minutes(slot.end_time) or MINUTES_PER_DAY)
        for slot in slots
    )


def helper_free_problem(helper_id: int, start: datetime, end: datetime) -> str | None:
    """None when the helper can work in [start, end), else the error code saying why."""
    if not _in_weekly_hours(helper_id, start, end):
        return "helper_outside_hours"
    if AvailabilityException.objects.filter(
        helper_id=helper_id, starts_at__lt=end, ends_at__gt=start
    ).exists():
        return "helper_absent"
    if helper_overlapping_bookings(helper_id=helper_id, starts_at=start, ends_at=end).exists():
        return "helper_double_booked"
    return None


FREE_PROBLEMS = {
    "helper_outside_hours": "The helper does not work at that time (their weekly hours).",
    "helper_absent": "The helper is away at that time.",
    "helper_double_booked": "The helper is already booked at that time.",
}


def counters_lapse(
    *, request_id: int, offer_ids: Iterable[int] | None = None, status: str = CounterStatus.LAPSED
) -> int:
    """End the open counters on the request (on `offer_ids` only, when given): `lapsed`
    when their offer ended without an answer, `withdrawn` when the helper withdrew it."""
    open_counters = Counter.objects.filter(request_id=request_id, status=CounterStatus.OPEN)
    if offer_ids is not None:
        open_counters = open_counters.filter(offer_id__in=list(offer_ids))
    return open_counters.update(status=status, closed_at=timezone.now())


def uncountered_check(*, request_id: int, helper_id: int) -> None:
    """Refuse other terms from a helper the customer countered on this request (one round:
    their terms there are the counter's, or none) while the counter waits for their answer
    or after they answered it. A counter that ended unanswered (expired, or lapsed with its
    offer when something else was booked) leaves the helper free to offer again."""
    counter = Counter.objects.filter(request_id=request_id, helper_id=helper_id).first()
    if counter is None or counter.status_at(timezone.now()) in ENDED_UNANSWERED:
        return
    if counter.status == CounterStatus.OPEN:
        raise Conflict(
            "The customer countered your offer here: accept their terms or withdraw.",
            code="countered",
        )
    raise Conflict(
        "You answered the customer's counter-offer here: one round only.", code="countered"
    )


#: Counters that ended without the helper's answer.
ENDED_UNANSWERED = frozenset({CounterStatus.EXPIRED, CounterStatus.LAPSED})
