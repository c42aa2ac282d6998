from __future__ import annotations

from ninja import Schema
from pydantic import AwareDatetime, Field

from quartier.schemas import out_schema

from .selectors import DispatchSummary, InvitationView, WaveSummary

#: An invitation as the invited helper sees it: `dispatch.selectors.InvitationView`.
InvitationOut = out_schema(
    InvitationView,
    name="InvitationOut",
    descriptions={
        "postcode": "Only once you are booked for the request.",
        "mode": "quotes: answer with an offer; fixed_price: accept to book.",
        "explanation": "Why you were invited, e.g. '2.3 km away · 4.8 in TV & set-top box from "
        "31 reviews'.",
    },
)


class InvitationAcceptIn(Schema):
    proposed_start: AwareDatetime | None = Field(
        default=None,
        description="When you start; default: the window's start (or the next full hour).",
    )


WaveOut = out_schema(
    WaveSummary,
    name="WaveOut",
    descriptions={"by_status": "open, accepted, declined, expired, closed"},
)

#: How a request is being dispatched, for its customer: `dispatch.selectors.DispatchSummary`.
DispatchOut = out_schema(
    DispatchSummary,
    name="DispatchOut",
    descriptions={
        "state": "active, satisfied, exhausted, escalated or cancelled",
        "wave": "Waves sent so far.",
    },
    nested={WaveSummary: WaveOut},
)
