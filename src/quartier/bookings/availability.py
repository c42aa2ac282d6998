"""Helpers' availability: weekly slots, absences, and how many free hours a window holds.

Weekly slots are local wall-clock time of the helper's market. CH (Europe/Zurich) and DE
(Europe/Berlin) share their UTC offsets all year, so `settings.TIME_ZONE` (Europe/Zurich)
serves both. Both offsets are whole hours, so local hour boundaries are UTC hour boundaries:
the matcher counts whole hours by stepping through hour starts in UTC and converting each one
to local time, which handles the DST switches (a 23-hour and a 25-hour Sunday) without
special cases.

A helper with no weekly slot at all is *flexible* (available any time), so that new helpers
are not silently invisible to the matcher until they fill in a calendar.

Every change sends `quartier.events.helper_changed` inside the same transaction, after the
writes, so subscribers (the match index) see the new state and commit or roll back with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import helper_changed

from .models import AvailabilityException, Booking, WeeklySlot

HOUR = timedelta(hours=1)
HOURS_PER_WEEK = 7 * 24
MINUTES_PER_DAY = 24 * 60
#: `free_hours` looks at most this far past the window's start.
MAX_WINDOW = timedelta(days=60)
#: More slots than half-hours in a week can only be a mistake (or abuse).
MAX_SLOTS = 7 * 48
MAX_EXCEPTION_LENGTH = timedelta(days=366)
#: Absences are planned at most this far ahead (year 9999 cannot be shown in local time).
MAX_EXCEPTION_HORIZON = timedelta(days=2 * 365)
MAX_UPCOMING_EXCEPTIONS = 100


# --- services ------------------------------------------------------------------------------


def _require_helper(actor: User) -> None:
    if not actor.is_helper:
        raise Forbidden("Only helpers have an availability calendar.", code="not_a_helper")


def _slot_minutes(value: time, *, field: str, is_end: bool) -> int:
    """Minutes since local midnight; an end of 00:00 is midnight at the end of the day."""
    if value.tzinfo is not None:
        raise field_error(
            field, "Give a local wall-clock time without a time zone.", code="time_with_zone"
        )
    if value.minute not in (0, 30) or value.second or value.microsecond:
        raise field_error(
            field, "Times must be on the hour or the half hour.", code="time_not_on_half_hour"
        )
    minutes = value.hour * 60 + value.minute
    return MINUTES_PER_DAY if is_end and minutes == 0 else minutes


def _minutes_time(minutes: int) -> time:
    return time(0) if minutes == MINUTES_PER_DAY else time(minutes // 60, minutes % 60)


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching intervals become one: 08-12 + 11-14 + 14-15 = 08-15."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def weekly_slots_set(*, actor: User, slots: Sequence[tuple[int, time, time]]) -> list[WeeklySlot]:
    """Replace the helper's weekly slots with `slots` = [(weekday, start, end), ...].

    `weekday` is 0 (Monday) .. 6 (Sunday); times are local, on the hour or half hour; an end
    of 00:00 means midnight at the end of the day. Overlapping or touching slots of one
    weekday are merged, not refused. An empty list makes the helper flexible (any time).
    """
    _require_helper(actor)
    if len(slots) > MAX_SLOTS:
        raise field_error("slots", f"Give at most {MAX_SLOTS} slots.", code="too_many_slots")
    by_weekday: dict[int, list[tuple[int, int]]] = {}
    for index, (weekday, start_time, end_time) in enumerate(slots):
        if isinstance(weekday, bool) or weekday not in range(7):
            raise field_error(
                f"slots.{index}.weekday",
                "The weekday must be 0 (Monday) to 6 (Sunday).",
                code="bad_weekday",
            )
        start = _slot_minutes(start_time, field=f"slots.{index}.start", is_end=False)
        end = _slot_minutes(end_time, field=f"slots.{index}.end", is_end=True)
        if end <= start:
            raise field_error(
                f"slots.{index}.end", "A slot must end after it starts.", code="slot_reversed"
            )
        by_weekday.setdefault(weekday, []).append((start, end))
    rows = [
        WeeklySlot(
            helper=actor,
            weekday=weekday,
            start_time=_minutes_time(start),
            end_time=_minutes_time(end),
        )
        for weekday, intervals in sorted(by_weekday.items())
        for start, end in _merged(intervals)
    ]
    with transaction.atomic():
        # Serialise concurrent replacements of one helper's calendar (SQLite's IMMEDIATE
        # transactions already do); otherwise two could both delete, then both insert.
        list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
        WeeklySlot.objects.filter(helper=actor).delete()
        WeeklySlot.objects.bulk_create(rows)
        helper_changed.send(sender=WeeklySlot, helper_id=actor.pk)
    return list(WeeklySlot.objects.filter(helper=actor).order_by("weekday", "start_time"))


def availability_exception_add(
    *, actor: User, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> AvailabilityException:
    """The helper is away in [starts_at, ends_at) (aware datetimes), whatever the slots say."""
    _require_helper(actor)
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if timezone.is_naive(value):
            raise field_error(
                field, "Give a time with its time zone offset.", code="time_without_zone"
            )
    if ends_at > timezone.now() + MAX_EXCEPTION_HORIZON:
        raise field_error("ends_at", "Plan absences at most two years ahead.", code="absence_far")
    if ends_at <= starts_at:
        raise field_error(
            "ends_at", "An absence must end after it starts.", code="absence_reversed"
        )
    if ends_at <= timezone.now():
        raise field_error("ends_at", "An absence must end in the future.", code="absence_past")
    if ends_at - starts_at > MAX_EXCEPTION_LENGTH:
        raise field_error(
            "ends_at",
            "An absence lasts at most a year; pause your profile instead.",
            code="absence_too_long",
        )
    reason = reason.strip()
    if len(reason) > 200:
        raise field_error(
            "reason", "The reason is at most 200 characters.", code="absence_reason_too_long"
        )
    with transaction.atomic():
        upcoming = AvailabilityException.objects.filter(helper=actor, ends_at__gt=timezone.now())
        if upcoming.count() >= MAX_UPCOMING_EXCEPTIONS:
            raise Conflict(
                f"You already have {MAX_UPCOMING_EXCEPTIONS} upcoming absences.",
                code="too_many_absences",
            )
        exception = AvailabilityException.objects.create(
            helper=actor, starts_at=starts_at, ends_at=ends_at, reason=reason
        )
        helper_changed.send(sender=AvailabilityException, helper_id=actor.pk)
    return exception


def availability_exception_remove(*, actor: User, exception_id: int) -> None:
    """Delete one of the helper's own absences; anyone else's is a 404."""
    with transaction.atomic():
        deleted, _ = AvailabilityException.objects.filter(pk=exception_id, helper=actor).delete()
        if not deleted:
            raise NotFound("No such absence.")
        helper_changed.send(sender=AvailabilityException, helper_id=actor.pk)


# --- selectors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    slots: list[WeeklySlot]
    upcoming_exceptions: list[AvailabilityException]

    @property
    def flexible(self) -> bool:
        return not self.slots


def availability_for(*, actor: User) -> Availability:
    """The helper's weekly slots and absences that have not ended yet (soonest first)."""
    _require_helper(actor)
    slots = WeeklySlot.objects.filter(helper=actor).order_by("weekday", "start_time")
    exceptions = AvailabilityException.objects.filter(
        helper=actor, ends_at__gt=timezone.now()
    ).order_by("starts_at", "id")
    return Availability(
        slots=list(slots), upcoming_exceptions=list(exceptions[:MAX_UPCOMING_EXCEPTIONS])
    )


def _slot_bits(start_time: time, end_time: time) -> int:
    """Bits (hour of the day) of the whole hours a slot covers: 08:30-12:00 -> 9, 10, 11."""
    start = start_time.hour * 60 + start_time.minute
    end = end_time.hour * 60 + end_time.minute or MINUTES_PER_DAY
    first_hour = -(-start // 60)  # a slot starting at 08:30 covers from 09:00 on
    last_hour = end // 60  # exclusive
    return ((1 << max(0, last_hour - first_hour)) - 1) << first_hour


def weekly_hours_bitmaps(*, helper_ids: Iterable[int]) -> dict[int, int | None]:
    """`weekly_hours_bitmap` for many helpers in one query (see there)."""
    bitmaps: dict[int, int | None] = dict.fromkeys(helper_ids)
    rows = WeeklySlot.objects.filter(helper_id__in=list(bitmaps)).values_list(
        "helper_id", "weekday", "start_time", "end_time"
    )
    for helper_id, weekday, start_time, end_time in rows:
        bits = _slot_bits(start_time, end_time) << (weekday * 24)
        bitmaps[helper_id] = (bitmaps[helper_id] or 0) | bits
    return bitmaps


def weekly_hours_bitmap(*, helper_id: int) -> int | None:
    """The helper's weekly availability as a 168-bit int, or None when flexible.

    Bit `weekday * 24 + hour` (weekday 0 = Monday, local wall-clock hour 0..23) is set when
    a weekly slot covers that whole hour; a half hour (08:30-09:00) sets no bit.

    None means the helper has NO weekly slots at all and is *flexible*: available at any
    time. That is deliberate, so that a new helper who has not filled in a calendar yet is
    not silently invisible to the matcher. (0 is different: slots exist but cover no whole
    hour, so the helper is never matched by time.)
    """
    return weekly_hours_bitmaps(helper_ids=[helper_id])[helper_id]


_BUSY_SQL = (
    "SELECT helper_id, starts_at, ends_at FROM {absences}"
    " WHERE helper_id IN ({ids}) AND starts_at < %s AND ends_at > %s"
    " UNION ALL SELECT helper_id, starts_at, ends_at FROM {bookings}"
    " WHERE helper_id IN ({ids}) AND cancelled_at IS NULL AND starts_at < %s AND ends_at > %s"
)


def busy_overlap_sql(helper_column: str, per_row: bool = False) -> str:
    """An SQL condition (SQLite and PostgreSQL): the helper in `helper_column` has an absence
    or a live booking overlapping [%(busy_from)s, %(busy_to)s) (bind both with
    `busy_overlap_params`). Lets a reader flag busy helpers in the statement it runs anyway;
    only flagged ones need `free_hours` with a query of their own. `per_row` (PostgreSQL
    only): index probes per row, not a hash of every absence and booking in the window."""
    fence = " OFFSET 0" if per_row else ""
    return (
        f"(EXISTS (SELECT 1 FROM {AvailabilityException._meta.db_table} x WHERE x.helper_id"
        f" = {helper_column} AND x.ends_at > %(busy_from)s AND x.starts_at < %(busy_to)s{fence})"
        f" OR EXISTS (SELECT 1 FROM {Booking._meta.db_table} b"
        f" WHERE b.helper_id = {helper_column} AND b.cancelled_at IS NULL"
        f" AND b.starts_at < %(busy_to)s AND b.ends_at > %(busy_from)s{fence}))"
    )


def busy_overlap_params(start: datetime | None, end: datetime | None) -> dict[str, object]:
    """Parameters of `busy_overlap_sql`; no window: an empty one (nobody flagged)."""
    if start is None or end is None:
        start = end = datetime(2000, 1, 1, tzinfo=UTC)
    adapt = connection.ops.adapt_datetimefield_value
    return {"busy_from": adapt(start), "busy_to": adapt(end)}


def _aware(value: datetime | str) -> datetime:
    """SQLite hands back naive UTC datetimes (or text out of a UNION); PostgreSQL aware ones."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(f"not a datetime: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _busy_intervals(
    ids: list[int], first: datetime, last: datetime
) -> list[tuple[int, datetime, datetime]]:
    """Absences and live (not cancelled) bookings of `ids` overlapping [first, last).

    One raw statement: the matcher calls this for every request, and two ORM querysets
    (compilation, the models' default ordering) cost more than the match-index scan."""
    ids = [int(i) for i in ids]
    if not ids:
        return []
    sql = _BUSY_SQL.format(
        absences=AvailabilityException._meta.db_table,
        bookings=Booking._meta.db_table,
        ids=",".join(["%s"] * len(ids)),
    )
    bounds = [connection.ops.adapt_datetimefield_value(t) for t in (last, first)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *bounds, *ids, *bounds])
        return [(h, _aware(s), _aware(e)) for h, s, e in cursor.fetchall()]


def busy_intervals(
    *, helper_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Per helper id, the absences and live bookings overlapping [start, end) (one query per
    5,000 helpers): for `free_hours(busy=...)` over many windows at once (batch dispatch)."""
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    ids = sorted(set(helper_ids))
    for chunk in range(0, len(ids), 5000):  # well below SQLite's limit of bound parameters
        for helper_id, starts_at, ends_at in _busy_intervals(ids[chunk : chunk + 5000], start, end):
            busy.setdefault(helper_id, []).append((starts_at, ends_at))
    return busy


def _hours_on_bit(first: datetime, count: int) -> dict[int, int]:
    """Which of the `count` hours from `first` (bit i = the i-th hour) fall on each local
    weekly bit (weekday * 24 + hour)."""
    hours_on_bit: dict[int, int] = {}
    for index in range(count):
        local = timezone.localtime(first + index * HOUR)
        bit = local.weekday() * 24 + local.hour
        hours_on_bit[bit] = hours_on_bit.get(bit, 0) | (1 << index)
    return hours_on_bit


def _blocked_hours(
    helpers: Iterable[int],
    intervals: Iterable[tuple[int, datetime, datetime]],
    first: datetime,
    count: int,
) -> dict[int, int]:
    """Per helper, the hours from `first` (bit i = the i-th hour) that a busy interval
    overlaps."""
    blocked = dict.fromkeys(helpers, 0)
    for helper_id, starts_at, ends_at in intervals:
        low = max(0, (starts_at - first) // HOUR)
        high = min(count, -((first - ends_at) // HOUR))  # ceiling
        if high > low:
            blocked[helper_id] |= ((1 << (high - low)) - 1) << low
    return blocked


def free_hours(
    *,
    helpers: Mapping[int, int | None],
    window_start: datetime,
    window_end: datetime,
    busy: Mapping[int, Sequence[tuple[datetime, datetime]]] | None = None,
) -> dict[int, int]:
    """Per helper id, how many whole local hours of [window_start, window_end) they are free.

    `helpers` maps helper id -> weekly bitmap (`weekly_hours_bitmap`), None = flexible. An
    hour counts when its local (weekday, hour) bit is set (any hour when flexible) and none
    of the helper's absences nor live (not cancelled) bookings overlaps it. Only hours that
    lie wholly inside the window count; the window is capped at 60 days from its start. On
    the autumn DST switch the repeated local hour 02:00-03:00 counts twice, in spring the
    missing one not at all. One query in all, whatever the number of helpers; none when
    `busy` (from `busy_intervals` over a span covering the window) is given.
    """
    if timezone.is_naive(window_start) or timezone.is_naive(window_end):
        raise ValueError("free_hours needs aware datetimes.")
    result = dict.fromkeys(helpers, 0)
    start_utc = window_start.astimezone(UTC)
    first = start_utc.replace(minute=0, second=0, microsecond=0)
    if first < start_utc:
        first += HOUR
    end = min(window_end, window_start + MAX_WINDOW)
    count = max(0, (end - first) // HOUR)
    if not helpers or not count:
        return result
    last = first + count * HOUR

    hours_on_bit = _hours_on_bit(first, count)
    every_hour = (1 << count) - 1
    if busy is None:
        intervals: Iterable[tuple[int, datetime, datetime]] = _busy_intervals(
            list(helpers), first, last
        )
    else:
        intervals = (
            (helper_id, starts_at, ends_at)
            for helper_id in helpers
            for starts_at, ends_at in busy.get(helper_id, ())
        )
    blocked = _blocked_hours(helpers, intervals, first, count)

    # The window's hours each distinct weekly bitmap allows (helpers often share one).
    window_masks: dict[int, int] = {}
    for helper_id, bitmap in helpers.items():
        if bitmap is None:
            allowed = every_hour
        elif bitmap in window_masks:
            allowed = window_masks[bitmap]
        else:
            allowed = 0
            for bit, hours in hours_on_bit.items():
                if bitmap >> bit & 1:
                    allowed |= hours
            window_masks[bitmap] = allowed
        result[helper_id] = (allowed & ~blocked[helper_id]).bit_count()
    return result
