from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

FrequencyName = Literal["weekly", "biweekly", "monthly"]


class SeriesIn(Schema):
    booking_id: int = Field(description="The booking to repeat (its customer and helper).")
    frequency: FrequencyName
    first_start: AwareDatetime = Field(description="The first visit; its local time repeats.")
    duration_minutes: int | None = Field(
        default=None, description="15..720; default: the booking's length."
    )
    until: date | None = Field(default=None, description="Last day; empty: open-ended.")
    price_minor: int | None = Field(
        default=None,
        description="Per visit (fixed) or per hour (hourly); default: the booking's.",
    )


class SeriesEndIn(Schema):
    reason: str = Field(default="", max_length=200)


class OccurrenceMoveIn(Schema):
    starts_at: AwareDatetime


class OccurrenceOut(Schema):
    id: int
    planned_on: date
    starts_at: datetime
    ends_at: datetime
    state: Literal["booked", "needs_time", "skipped", "cancelled"]
    reason: str = Field(description="Why not booked, as a code (e.g. helper_double_booked).")
    booking_id: int | None
    booking_state: str


class SeriesOut(Schema):
    id: int
    state: Literal["proposed", "active", "declined", "ended"]
    customer_id: int
    helper_id: int
    helper_name: str
    proposed_by_id: int
    origin_booking_id: int
    title: str
    frequency: FrequencyName
    first_start: datetime
    duration_minutes: int
    until: date | None
    pricing: Literal["fixed", "hourly"]
    price_minor: int
    currency: str
    created_at: datetime
    accepted_at: datetime | None
    ended_at: datetime | None
    occurrences: list[OccurrenceOut]
