from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import AwareDatetime, Field


class InvitationOut(Schema):
    id: int
    request_id: int
    title: str
    skill: str
    locality: str
    postcode: str | None = Field(description="Only once you are booked for the request.")
    window_start: datetime
    window_end: datetime
    currency: str
    mode: str = Field(description="quotes: answer with an offer; fixed_price: accept to book.")
    fixed_price_minor: int | None
    wave: int
    rank: int
    explanation: str = Field(
        description="Why you were invited, e.g. '2.3 km away · 4.8 in TV & set-top box from "
        "31 reviews'."
    )
    status: str
    invited_at: datetime
    respond_by: datetime


class InvitationAcceptIn(Schema):
    proposed_start: AwareDatetime | None = Field(
        default=None,
        description="When you start; default: the window's start (or the next full hour).",
    )


class WaveOut(Schema):
    wave: int
    invited: int
    sent_at: datetime
    by_status: dict[str, int] = Field(description="open, accepted, declined, expired, closed")


class DispatchOut(Schema):
    request_id: int
    state: str = Field(description="active, satisfied, exhausted, escalated or cancelled")
    mode: str
    fixed_price_minor: int | None
    wave: int = Field(description="Waves sent so far.")
    invited: int
    open: int
    offers: int
    max_quotes: int | None
    next_wave_at: datetime | None
    deadline_at: datetime
    created_at: datetime
    waves: list[WaveOut]
