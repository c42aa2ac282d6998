"""On what terms a helper makes an offer: how it is priced and who pays it.

`OfferTerms` gathers what `offer_create` takes beyond the price and time: price lines or
hourly terms (checked by `pricing`), and for a partner program's job the partner and the
part of the price it pays (dispatch passes them down from the partner's program; bookings
never asks the partners context, which lives above it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from quartier.errors import field_error
from quartier.jobs.models import JobRequest

from .cancellation import market_terms
from .models import Offer, PriceLine, Pricing
from .pricing import Line, line_of, price_lines_check


@dataclass(frozen=True)
class OfferTerms:
    pricing: str = Pricing.FIXED
    lines: Sequence[Mapping[str, Any]] | None = None
    hourly_rate_minor: int | None = None
    estimated_hours: Decimal | None = None
    #: The VAT rate of a line made for the helper (the labour line of a bare price or of
    #: hourly pricing), in percent.
    vat_rate: Decimal | str | int = 0
    partner_id: int | None = None
    partner_share_minor: int = 0
    #: What a visit that could not fix it costs (a partner program's; None: the market's).
    visit_fee_minor: int | None = None

    def checked_lines(self, request: JobRequest, price_minor: int | None) -> list[Line]:
        return price_lines_check(
            currency=request.currency,
            title=request.title,
            lines=self.lines,
            price_minor=price_minor,
            pricing=self.pricing,
            hourly_rate_minor=self.hourly_rate_minor,
            estimated_hours=self.estimated_hours,
            vat_rate=self.vat_rate,
        )

    def check_partner_share(self, total_minor: int) -> None:
        if not 0 <= self.partner_share_minor <= total_minor:
            raise field_error(
                "partner_share_minor",
                "The partner's share must lie between 0 and the price.",
                code="partner_share_out_of_range",
            )
        if self.partner_share_minor and self.partner_id is None:
            raise field_error(
                "partner_id", "A partner's share needs the partner.", code="partner_missing"
            )

    def visit_fee(self, request: JobRequest, total_minor: int) -> int:
        """The visit fee this offer carries: the program's, else the market's, never more
        than the price."""
        fee = self.visit_fee_minor
        if fee is None:
            fee = market_terms(request.country).visit_fee_minor
        return max(0, min(fee, total_minor))


FIXED_PRICE = OfferTerms()


def offer_time_check(request: JobRequest, proposed_start: datetime, proposed_end: datetime) -> None:
    """The time an offer proposes: inside the request's window and not over yet."""
    if proposed_end <= proposed_start:
        raise field_error(
            "proposed_end",
            "The proposed time must end after it starts.",
            code="proposed_time_reversed",
        )
    if proposed_start < request.window_start or proposed_end > request.window_end:
        raise field_error(
            "proposed_start",
            "The proposed time must lie in the request's window.",
            code="proposed_time_outside_window",
        )
    if proposed_end <= timezone.now():
        raise field_error(
            "proposed_end", "The proposed time must be in the future.", code="proposed_time_past"
        )


def price_lines_save(offer: Offer, lines: Sequence[Line]) -> None:
    PriceLine.objects.bulk_create(price_line_rows(offer, lines))


def price_line_rows(offer: Offer, lines: Sequence[Line]) -> list[PriceLine]:
    """The offer's price lines as rows, in order (unsaved: callers bulk-create them)."""
    return [
        PriceLine(
            offer=offer,
            position=position,
            kind=line.kind,
            label=line.label,
            quantity=line.quantity,
            unit_minor=line.unit_minor,
            vat_rate=line.vat_rate,
            total_minor=line.total_minor,
        )
        for position, line in enumerate(lines)
    ]


def offer_lines(offer: Offer) -> list[Line]:
    """The offer's lines (prefetched where the caller did), in order."""
    return [line_of(row) for row in offer.lines.all()]
