"""Availability API: a helper's weekly slots and absences (what the matcher respects)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field, field_validator

from quartier.accounts.auth import api_auth, current_user

from .availability import (
    MAX_SLOTS,
    Availability,
    availability_exception_add,
    availability_exception_remove,
    availability_for,
    weekly_slots_set,
)
from .models import AvailabilityException, WeeklySlot

router = Router(tags=["availability"], auth=api_auth)


# --- schemas -------------------------------------------------------------------------------


class WeeklySlotIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday .. 6 = Sunday.")
    start: time = Field(description="Local time, on the hour or half hour, e.g. 08:00.")
    end: time = Field(description="Local time; 24:00 (or 00:00) is midnight at the day's end.")

    @field_validator("end", mode="before")
    @classmethod
    def midnight(cls, value: Any) -> Any:
        return (
            "00:00" if isinstance(value, str) and value.strip() in ("24:00", "24:00:00") else value
        )


class WeeklySlotsIn(Schema):
    slots: list[WeeklySlotIn] = Field(
        max_length=MAX_SLOTS,
        description="Replaces every weekly slot. Overlapping or touching slots are merged; "
        "an empty list makes you flexible (matched at any time).",
    )


class AvailabilityExceptionIn(Schema):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    reason: str = Field(default="", max_length=200)


class WeeklySlotOut(Schema):
    weekday: int
    start: str = Field(description="HH:MM, local time.")
    end: str = Field(description="HH:MM, local time; 24:00 is midnight at the day's end.")


class WeeklySlotsOut(Schema):
    flexible: bool = Field(description="No weekly slots: you may be matched at any time.")
    slots: list[WeeklySlotOut]


class AvailabilityExceptionOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_at: datetime


class AvailabilityOut(Schema):
    time_zone: str = Field(description="The zone the weekly slots' times are in.")
    flexible: bool = Field(description="No weekly slots: you may be matched at any time.")
    slots: list[WeeklySlotOut]
    exceptions: list[AvailabilityExceptionOut] = Field(description="Absences not yet over.")


def slot_out(slot: WeeklySlot) -> WeeklySlotOut:
    end = "24:00" if slot.end_time == time(0) else f"{slot.end_time:%H:%M}"
    return WeeklySlotOut(weekday=slot.weekday, start=f"{slot.start_time:%H:%M}", end=end)


def exception_out(exception: AvailabilityException) -> AvailabilityExceptionOut:
    return AvailabilityExceptionOut(
        id=exception.pk,
        starts_at=exception.starts_at,
        ends_at=exception.ends_at,
        reason=exception.reason,
        created_at=exception.created_at,
    )


def availability_out(availability: Availability) -> AvailabilityOut:
    return AvailabilityOut(
        time_zone=settings.TIME_ZONE,
        flexible=availability.flexible,
        slots=[slot_out(s) for s in availability.slots],
        exceptions=[exception_out(e) for e in availability.upcoming_exceptions],
    )


# --- endpoints -----------------------------------------------------------------------------


@router.get("/me/availability", response=AvailabilityOut)
def get_availability(request: HttpRequest) -> AvailabilityOut:
    """For helpers: your weekly slots and the absences that are not over yet."""
    return availability_out(availability_for(actor=current_user(request)))


@router.put("/me/availability/weekly", response=WeeklySlotsOut)
def set_weekly_slots(request: HttpRequest, payload: WeeklySlotsIn) -> WeeklySlotsOut:
    """Replace your weekly slots (local time of your market). Without slots you are flexible."""
    slots = weekly_slots_set(
        actor=current_user(request),
        slots=[(s.weekday, s.start, s.end) for s in payload.slots],
    )
    return WeeklySlotsOut(flexible=not slots, slots=[slot_out(s) for s in slots])


@router.post("/me/availability/exceptions", response={201: AvailabilityExceptionOut})
def add_exception(
    request: HttpRequest, payload: AvailabilityExceptionIn
) -> Status[AvailabilityExceptionOut]:
    """Add an absence: the matcher leaves you out in [starts_at, ends_at)."""
    exception = availability_exception_add(actor=current_user(request), **payload.dict())
    return Status(201, exception_out(exception))


@router.delete("/me/availability/exceptions/{exception_id}", response={204: None})
def remove_exception(request: HttpRequest, exception_id: int) -> Status[None]:
    """Remove one of your absences."""
    availability_exception_remove(actor=current_user(request), exception_id=exception_id)
    return Status(204, None)
