"""When a series' occurrences fall: the rule's local dates at the first occurrence's local
time, in the market's time zone, so a weekly 09:00 stays 09:00 across a change of daylight
saving time (the UTC instant moves by an hour instead)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .models import Frequency

ZONES = {"CH": ZoneInfo("Europe/Zurich"), "DE": ZoneInfo("Europe/Berlin")}
#: How far ahead occurrences are booked; the periodic tick keeps the horizon rolling.
HORIZON = timedelta(weeks=8)


def zone_of(country: str) -> ZoneInfo:
    return ZONES.get(country, ZONES["CH"])


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_dates(first: date, frequency: str) -> Iterator[date]:
    """The rule's dates from `first` on (monthly: the same day of the month, or the last)."""
    index = 0
    while True:
        if frequency == Frequency.MONTHLY:
            yield _add_months(first, index)
        else:
            step = 2 if frequency == Frequency.BIWEEKLY else 1
            yield first + timedelta(weeks=step * index)
        index += 1


def local_slot(
    day: date, first_start: datetime, duration_minutes: int, country: str
) -> tuple[datetime, datetime]:
    """The occurrence on `day` at the first occurrence's local wall-clock time."""
    zone = zone_of(country)
    wall = first_start.astimezone(zone)
    start = datetime.combine(day, wall.time().replace(tzinfo=None), tzinfo=zone)
    # A wall time that does not exist that day (skipped by the spring change) is normalised.
    start_utc = start.astimezone(UTC)
    return start_utc, start_utc + timedelta(minutes=duration_minutes)


def first_local_date(first_start: datetime, country: str) -> date:
    return first_start.astimezone(zone_of(country)).date()
