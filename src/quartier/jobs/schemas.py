from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from quartier.schemas import out_schema

from .selectors import RequestView, VisitView


class VisitIn(Schema):
    starts_at: AwareDatetime
    ends_at: AwareDatetime


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
    urgent: bool = Field(
        default=False,
        description="An urgent repair: please come as soon as possible. In Germany the work "
        "asked for on such a visit carries no right of withdrawal.",
    )
    helpers_needed: int = Field(
        default=1,
        description="Helpers booked together (a move: 2), each with their own price, "
        "booking and invoice; 1 to 6.",
    )
    visits: list[VisitIn] = Field(
        default_factory=list,
        description="Several visits (a multi-day job), 2 to 10, each booked on its own; the "
        "window then spans them (window_start/window_end are ignored).",
    )


VisitOut = out_schema(VisitView, name="VisitOut")


#: A request as the caller may see it: `jobs.selectors.RequestView`.
RequestOut = out_schema(
    RequestView,
    name="RequestOut",
    descriptions={
        "postcode": "Only for the customer and the booked helper.",
        "street_address": "Only for the customer and the booked helper.",
        "approx_distance_km": "For helpers: rounded to 0.5 km.",
        "helpers_needed": "Helpers booked together; the request is booked when all are.",
        "visits": "The visits of a multi-day request, each booked on its own.",
        "booked_helper_ids": "The helpers booked so far (on a multi request, one per slot).",
    },
    nested={VisitView: VisitOut},
)


class CancelIn(Schema):
    reason: str = Field(default="", max_length=200)


class RequestChangeIn(Schema):
    """Only the fields sent change; `budget_minor: null` removes the budget."""

    title: str = Field(default="", min_length=1, max_length=120)
    description: str = Field(default="", max_length=4000)
    street_address: str = Field(default="", min_length=1, max_length=200)
    window_start: AwareDatetime | None = None
    window_end: AwareDatetime | None = None
    budget_minor: int | None = Field(default=None, ge=0, le=10_000_000)
    country: Literal["CH", "DE"] | None = Field(
        default=None, description="Cannot change after posting (post a new request)."
    )
    postcode: str | None = Field(
        default=None, max_length=10, description="Cannot change after posting."
    )


class PhotoOut(Schema):
    id: int
    name: str
    content_type: str
    size: int = Field(description="Bytes.")
    created_at: datetime
    url: str = Field(description="Where the parties download it (authenticated).")
