"""A booked customer and helper, and a weekly series between them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.series.models import Series
from quartier.series.services import series_accept, series_propose
from tests.factories import make_booking


def next_local(days: int, hour: int = 9) -> datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def booked(customer: User, helper: User, **fields: Any) -> Booking:
    return make_booking(customer, helper, days=2, title="Clean the flat", **fields)


def running_series(
    customer: User, helper: User, *, first_start: datetime | None = None, **terms: Any
) -> Series:
    booking = booked(customer, helper)
    series = series_propose(
        actor=customer,
        booking_id=booking.pk,
        frequency=terms.pop("frequency", "weekly"),
        first_start=first_start or next_local(7),
        **terms,
    )
    return series_accept(actor=helper, series_id=series.pk)
