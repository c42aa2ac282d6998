"""Hourly jobs bill the time worked in units: a started unit counts as a whole one.

The unit is `BOOKING_BILLING_UNIT_MINUTES` (default 15). At check-out the labour line's
quantity (hours) becomes the units worked, the line's total follows and the booking's price
is the sum of the lines again. What check-out would bill is shown before it (`preview`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .models import Booking, LineKind, PaymentMethod, PriceLine, Pricing
from .states import BookingState


def unit_minutes() -> int:
    return int(getattr(settings, "BOOKING_BILLING_UNIT_MINUTES", 15))


def units_for(minutes: int) -> int:
    """Units billed for `minutes` worked: every started unit, at least one."""
    return max(1, math.ceil(minutes / unit_minutes()))


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes worked, a started minute counted (so 15:00:30 is 16 minutes)."""
    return max(0, math.ceil((end - start).total_seconds() / 60))


@dataclass(frozen=True, slots=True)
class Bill:
    """What the labour line becomes for the time worked so far."""

    minutes: int
    units: int
    unit_minutes: int
    hours: Decimal
    labour_minor: int
    price_minor: int


def preview(booking: Booking, *, until: datetime) -> Bill | None:
    """The bill if the helper checked out at `until`; None for a fixed-price job or one
    not checked in."""
    labour = _labour_line(booking)
    if labour is None or booking.started_at is None:
        return None
    minutes = minutes_between(booking.started_at, until)
    units = units_for(minutes)
    hours = (Decimal(units * unit_minutes()) / 60).quantize(Decimal("0.001"))
    total = int((hours * labour.unit_minor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    others = booking.price_minor - labour.total_minor
    return Bill(minutes, units, unit_minutes(), hours, total, others + total)


def visit_bill(booking: Booking) -> Bill | None:
    """What the booking bills for time: as it would now while checked in, as billed once
    checked out; None for a fixed price or before check-in."""
    if booking.state == BookingState.IN_PROGRESS:
        return preview(booking, until=timezone.now())
    labour = _labour_line(booking)
    if booking.minutes_worked is None or labour is None:
        return None
    units = units_for(booking.minutes_worked)
    return Bill(
        booking.minutes_worked,
        units,
        unit_minutes(),
        labour.quantity,
        labour.total_minor,
        booking.price_minor,
    )


def bill_time_worked(booking: Booking, bill: Bill) -> None:
    """Write the bill: the labour line's quantity and total, the offer's and booking's price
    (the sum of the lines); a partner paying it all pays the new price."""
    labour = _labour_line(booking)
    assert labour is not None
    PriceLine.objects.filter(pk=labour.pk).update(
        quantity=bill.hours, total_minor=bill.labour_minor
    )
    total = PriceLine.objects.filter(offer_id=booking.offer_id).aggregate(t=Sum("total_minor"))["t"]
    share = booking.partner_share_minor
    share = total if booking.payment_method == PaymentMethod.PARTNER else min(share, total)
    type(booking.offer).objects.filter(pk=booking.offer_id).update(
        price_minor=total, partner_share_minor=share
    )
    Booking.objects.filter(pk=booking.pk).update(price_minor=total, partner_share_minor=share)


def _labour_line(booking: Booking) -> PriceLine | None:
    if booking.offer.pricing != Pricing.HOURLY:
        return None
    return booking.offer.lines.filter(kind=LineKind.LABOUR).order_by("position").first()
