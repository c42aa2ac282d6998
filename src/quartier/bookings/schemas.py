from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import AwareDatetime, Field


class OfferIn(Schema):
    price_minor: int = Field(ge=1, le=10_000_000, description="Total price, minor units.")
    proposed_start: AwareDatetime
    proposed_end: AwareDatetime
    message: str = Field(default="", max_length=2000)


class OfferOut(Schema):
    id: int
    request_id: int
    helper_id: int
    helper_name: str
    price_minor: int
    currency: str
    proposed_start: datetime
    proposed_end: datetime
    message: str
    status: str
    created_at: datetime


class BookingOut(Schema):
    id: int
    request_id: int
    offer_id: int
    state: str = Field(description="The job's state: booked, in_progress, completed, ...")
    helper_id: int
    helper_name: str
    customer_id: int | None = Field(
        description="Empty while a partner's customer has not confirmed the case yet."
    )
    customer_name: str
    starts_at: datetime
    ends_at: datetime
    price_minor: int
    currency: str
    started_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None


class BookingCancelIn(Schema):
    reason: str = Field(default="", max_length=200)
