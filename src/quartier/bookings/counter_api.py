"""Counter-offers API: the customer counters an offer once; the helper accepts or withdraws."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import AwareDatetime, Field

from quartier.accounts.auth import api_auth, current_user

from .counter_models import Counter
from .counters import (
    counter_accept,
    counter_list_for_request,
    counter_make,
    counter_withdraw,
)

router = Router(tags=["offers & bookings"], auth=api_auth)


class CounterIn(Schema):
    price_minor: int | None = Field(
        default=None, description="Your total price, minor units; left out: the offer's."
    )
    proposed_start: AwareDatetime | None = Field(
        default=None, description="Your time; left out: the offer's."
    )
    proposed_end: AwareDatetime | None = Field(
        default=None,
        description="Left out: the offer's end, or the offer's length after your start.",
    )
    message: str = Field(default="", max_length=500)


class CounterOut(Schema):
    id: int
    offer_id: int = Field(description="The offer countered.")
    request_id: int
    helper_id: int
    price_minor: int
    currency: str
    proposed_start: datetime
    proposed_end: datetime
    message: str
    status: Literal["open", "accepted", "withdrawn", "lapsed", "expired"] = Field(
        description="open: awaiting the helper; accepted: book `agreed_offer_id`; withdrawn: "
        "the helper withdrew their offer; lapsed: the offer ended (another booked); expired: "
        "no answer by `expires_at`."
    )
    created_at: datetime
    expires_at: datetime
    closed_at: datetime | None
    agreed_offer_id: int | None = Field(
        description="The helper's offer at your terms, once accepted: book it like any other."
    )


def counter_out(counter: Counter) -> CounterOut:
    return CounterOut(
        id=counter.pk,
        offer_id=counter.offer_id,
        request_id=counter.request_id,
        helper_id=counter.helper_id,
        price_minor=counter.price_minor,
        currency=counter.offer.currency,
        proposed_start=counter.proposed_start,
        proposed_end=counter.proposed_end,
        message=counter.message,
        status=counter.status_at(timezone.now()).value,  # type: ignore[arg-type]
        created_at=counter.created_at,
        expires_at=counter.expires_at,
        closed_at=counter.closed_at,
        agreed_offer_id=counter.agreed_offer_id,
    )


@router.post("/offers/{offer_id}/counter", response={201: CounterOut})
def counter_offer(request: HttpRequest, offer_id: int, payload: CounterIn) -> Status[CounterOut]:
    """For the request's customer: one counter-offer to an open offer — another price, time
    or both. The helper accepts (their offer is replaced by one at your terms, which you
    then book) or withdraws. Once per helper and request (409 `already_countered`); it
    expires after 48 hours or at the time it proposes, and lapses when another offer is
    booked."""
    counter = counter_make(
        actor=current_user(request),
        offer_id=offer_id,
        price_minor=payload.price_minor,
        proposed_start=payload.proposed_start,
        proposed_end=payload.proposed_end,
        message=payload.message,
    )
    return Status(201, counter_out(counter))


@router.get("/requests/{request_id}/counters", response=list[CounterOut])
def list_counters(request: HttpRequest, request_id: int) -> list[CounterOut]:
    """The customer (and operators) see every counter-offer on the request; a helper theirs."""
    counters = counter_list_for_request(actor=current_user(request), request_id=request_id)
    return [counter_out(c) for c in counters]


@router.post("/counters/{counter_id}/accept", response=CounterOut)
def accept_counter(request: HttpRequest, counter_id: int) -> CounterOut:
    """For the countered helper: take the customer's terms. Your offer is replaced by one at
    them (`agreed_offer_id`), for the customer to book. 409 when it expired or ended, or
    when you are no longer free at its time."""
    return counter_out(counter_accept(actor=current_user(request), counter_id=counter_id))


@router.post("/counters/{counter_id}/withdraw", response=CounterOut)
def withdraw_counter(request: HttpRequest, counter_id: int) -> CounterOut:
    """For the countered helper: decline the customer's terms by withdrawing your offer (one
    round: no other offer on this request)."""
    return counter_out(counter_withdraw(actor=current_user(request), counter_id=counter_id))
