from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from .withdrawal_schemas import ConsumerRightsOut

LineKindName = Literal["labour", "travel", "consumables", "material"]
MethodName = Literal["transfer", "cash", "partner"]


class PriceLineIn(Schema):
    kind: str = Field(description="labour | travel | consumables | material")
    label: str = Field(description="What the line is for, as the customer reads it.")
    quantity: Decimal = Field(default=Decimal(1), description="Positive, up to 3 decimals.")
    unit_minor: int = Field(description="Unit price in minor units, VAT included.")
    vat_rate: Decimal = Field(
        default=Decimal(0), description="Percent: CHF 0, 2.6, 3.8, 8.1; EUR 0, 7, 19."
    )


class PriceLineOut(Schema):
    kind: LineKindName
    label: str
    quantity: Decimal
    unit_minor: int
    vat_rate: Decimal
    total_minor: int = Field(description="quantity x unit price, rounded half up.")


class OfferIn(Schema):
    price_minor: int | None = Field(
        default=None,
        description="Total price, minor units. Optional with lines or hourly pricing (then "
        "it must equal the sum of the lines if given).",
    )
    proposed_start: AwareDatetime
    proposed_end: AwareDatetime
    message: str = Field(default="", max_length=2000)
    pricing: Literal["fixed", "hourly"] = "fixed"
    lines: list[PriceLineIn] | None = Field(
        default=None, description="Price lines; without them the price is one labour line."
    )
    hourly_rate_minor: int | None = Field(default=None, description="Hourly pricing: the rate.")
    estimated_hours: Decimal | None = Field(
        default=None, description="Hourly pricing: the hours the labour line is estimated at."
    )
    vat_rate: Decimal = Field(
        default=Decimal(0), description="VAT rate (percent) of a labour line made for you."
    )


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
    pricing: str = Field(description="fixed | hourly")
    lines: list[PriceLineOut]
    partner_share_minor: int = Field(description="The part of the price a partner pays.")
    replaces_id: int | None = Field(
        default=None, description="A changed offer: the withdrawn offer it replaces."
    )
    outside_window: bool = Field(
        default=False,
        description="The proposed time no longer fits the request's window (the customer "
        "changed it): the helper is asked to change the offer.",
    )
    visit: int = Field(
        default=0,
        description="A multi-day request: the visit the offer is for (its time says which); "
        "else 0.",
    )


class BilledUnitsOut(Schema):
    units: int
    unit_minutes: int
    minutes: int
    labour_minor: int
    price_minor: int = Field(description="The booking's price with this labour line.")


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
    visit_state: str = Field(
        description="The booking's own state: booked, in_progress (checked in), "
        "awaiting_sign_off, completed (signed off), cancelled."
    )
    started_at: datetime | None = Field(description="Checked in.")
    checked_out_at: datetime | None
    minutes_worked: int | None
    billed_units: BilledUnitsOut | None = Field(
        description="Hourly jobs: the units the labour line bills if the helper checked out "
        "now (while checked in), or billed at check-out."
    )
    completed_at: datetime | None = Field(description="Signed off.")
    cancelled_at: datetime | None
    outcome: Literal["", "fixed", "not_fixed"] = Field(
        description='Set at check-out: fixed, or not_fixed ("couldn\'t fix it").'
    )
    visit_fee_minor: int = Field(
        description="What a visit that could not fix it costs (the partner program's or the "
        "market's terms, at most the price); the only amount settled for a not_fixed visit."
    )
    lines: list[PriceLineOut]
    slot: int = Field(
        default=1,
        description="The place the booking fills on a request for several helpers or visits "
        "(helper or visit number); 1 on a one-helper request.",
    )
    tip_minor: int = Field(description="The customer's tip: all of it the helper's.")
    payment_method: MethodName = Field(description="How the customer's share is paid.")
    partner_id: int | None
    partner_share_minor: int
    customer_pays_minor: int = Field(
        description="price - partner share + tip, paid by payment_method (0 for 'partner')."
    )
    consumer: ConsumerRightsOut | None = Field(
        default=None,
        description="The consumer rules of a booking made at checkout (null for one taken "
        "on posted terms): the right of withdrawal, the declarations, a withdrawal.",
    )


class BookingCancelIn(Schema):
    reason: str = Field(default="", max_length=200)


class OfferAcceptIn(Schema):
    payment_method: Literal["transfer", "cash"] = "transfer"
    tip_minor: int = Field(default=0, ge=0)
    early_start: bool = Field(
        default=False,
        description="With a right of withdrawal: the customer asks for the work to start "
        "inside the 14 days (needed to check in inside them).",
    )
    loss_acknowledged: bool = Field(
        default=False,
        description="With a right of withdrawal: the customer knows the right is lost once "
        "the contract is fully performed.",
    )


class BookingPaymentIn(Schema):
    """Change either or both until the job is completed."""

    payment_method: Literal["transfer", "cash"] | None = None
    tip_minor: int | None = Field(default=None, ge=0)


class BookingCompleteIn(Schema):
    paid_cash: bool = Field(default=False, description="The customer paid their share in cash.")


class CheckInIn(Schema):
    reason: str = Field(
        default="", max_length=200, description="Operators only: why before the time."
    )


class CheckOutIn(BookingCompleteIn):
    outcome: Literal["fixed", "not_fixed"] = "fixed"
    note: str = Field(default="", max_length=2000)


class CancellationTermsOut(Schema):
    """The market's terms (bookings/cancellation.py) applied to this offer."""

    free_hours: int = Field(description="Free of charge until this many hours before the start.")
    fee_percent: int = Field(description="Later, the customer owes this percent of their share.")
    fee_minor: int = Field(description="What a late cancellation of this offer costs.")
    withdrawal_days: int = Field(
        description="A German consumer cancels free within this many days of booking "
        "(a withdrawal); 0 elsewhere."
    )
    dispute_days: int = Field(description="Problems can be reported until this many days after.")
    visit_fee_minor: int = Field(
        default=0,
        description="Due instead of the price if the helper cannot fix it on the visit "
        "(0: nothing).",
    )


class CheckoutOut(Schema):
    offer: OfferOut
    currency: str
    price_minor: int
    partner_share_minor: int
    customer_share_minor: int = Field(description="What the customer pays, before any tip.")
    provider_kind: Literal["private", "business"] = Field(
        description="Whether the helper acts as a private person or as a business."
    )
    market: Literal["CH", "DE"]
    consumer_notice: str = Field(
        description="In Germany: what the provider's kind means for consumer rights."
    )
    methods: list[Literal["transfer", "cash", "card", "twint"]] = Field(
        description="What the customer may choose; empty when the partner pays it all."
    )
    cancellation: CancellationTermsOut
    consumer: ConsumerRightsOut


class ChangeIn(PriceLineIn):
    """One price line the helper proposes during the visit."""

    note: str = Field(default="", description="Why, for the customer (at most 500 characters).")
    urgent_repair: bool = Field(
        default=False,
        description="Part of the urgent repair the customer asked for (only on a request "
        "marked urgent): in Germany such work carries no right of withdrawal.",
    )


class ChangeApproveIn(Schema):
    early_start: bool = Field(
        default=False,
        description="Where `withdrawal` applies: the customer expressly asks that the work "
        "begins before the withdrawal period ends (its own unticked box).",
    )
    loss_acknowledged: bool = Field(
        default=False,
        description="Where `withdrawal` applies: the customer knows the right of withdrawal "
        "is lost once the change is fully performed (its own unticked box).",
    )


class WithdrawalOut(Schema):
    trader_name: str
    trader_address: str
    trader_email: str
    notice: str = Field(description="The withdrawal notice and model form, as shown.")
    early_start_text: str
    loss_text: str


class ChangeOut(Schema):
    id: int
    booking_id: int
    status: Literal["proposed", "approved", "rejected", "lapsed"]
    line: PriceLineOut
    note: str
    urgent_repair: bool
    proposed_at: datetime
    decided_at: datetime | None
    withdrawal: WithdrawalOut | None = Field(
        description="A German consumer's right of withdrawal from this change (off-premises "
        "contract with a trader); null where there is none."
    )
