from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field


class RequestIn(Schema):
    skill: str = Field(examples=["tv-set-top-box"])
    title: str = Field(min_length=1, max_length=120, examples=["TV box shows no picture"])
    description: str = Field(default="", max_length=4000)
    country: Literal["CH", "DE"]
    postcode: str = Field(max_length=10, examples=["8004"])
    street_address: str = Field(min_length=1, max_length=200, examples=["Badenerstrasse 12"])
    window_start: AwareDatetime
    window_end: AwareDatetime
    budget_minor: int | None = Field(default=None, ge=0, le=10_000_000)


class RequestOut(Schema):
    id: int
    state: str
    skill: str
    title: str
    description: str
    country: str
    postcode: str | None = Field(description="Only for the customer and the booked helper.")
    locality: str
    window_start: datetime
    window_end: datetime
    budget_minor: int | None
    currency: str
    created_at: datetime
    is_own: bool
    street_address: str | None = Field(description="Only for the customer and the booked helper.")
    customer_name: str
    customer_phone: str | None
    approx_distance_km: float | None = Field(description="For helpers: rounded to 0.5 km.")
    booked_helper_id: int | None


class CancelIn(Schema):
    reason: str = Field(default="", max_length=200)
