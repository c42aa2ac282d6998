"""Occurrences on a rolling horizon: each planned date becomes its own request, accepted
offer and booking for the series' helper at the series' price — made here, not by dispatch.

A date the helper cannot take (outside their weekly slots, away, or already booked) is not
dropped: it is kept as "needs a new time" with the reason, and both sides are told. Two
extensions running at once cannot plan a date twice: (series, planned_on) is unique, and the
occurrence row is written first in the transaction that books it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.bookings.models import Pricing
from quartier.bookings.offer_terms import OfferTerms
from quartier.bookings.reschedule import helper_free_at
from quartier.bookings.services import offer_accept_on_posted_terms, offer_create
from quartier.errors import QuartierError
from quartier.jobs.services import request_create

from .models import Occurrence, OccurrenceState, Series, SeriesState
from .notices import tell_series
from .schedule import HORIZON, first_local_date, local_slot, planned_dates

log = logging.getLogger(__name__)


def _terms(series: Series) -> OfferTerms:
    if series.pricing == Pricing.HOURLY:
        hours = (Decimal(series.duration_minutes) / 60).quantize(Decimal("0.01"))
        return OfferTerms(
            pricing=Pricing.HOURLY, hourly_rate_minor=series.price_minor, estimated_hours=hours
        )
    return OfferTerms()


def book_slot(series: Series, starts_at: datetime, ends_at: datetime) -> int:
    """Book the series' helper for one slot: request, offer, booking; returns the booking's
    id. QuartierError (with its code) when the helper is not free or the slot is refused."""
    helper_free_at(helper_id=series.helper_id, starts_at=starts_at, ends_at=ends_at)
    with transaction.atomic():
        job = request_create(
            actor=series.customer,
            skill=series.skill_slug,
            title=series.title,
            description=series.description,
            country=series.country,
            postcode=series.postcode,
            street_address=series.street_address,
            window_start=starts_at,
            window_end=ends_at,
        )
        fixed = series.pricing != Pricing.HOURLY
        offer = offer_create(
            actor=series.helper,
            request_id=job.pk,
            proposed_start=starts_at,
            proposed_end=ends_at,
            price_minor=series.price_minor if fixed else None,
            message=f"Series #{series.pk}",
            tell_customer=False,
            terms=_terms(series),
        )
        # One notice for the series (accepted, needs a new time), not one per date.
        return offer_accept_on_posted_terms(offer_id=offer.pk, tell=False).pk


def _plan_one(series: Series, day: date) -> Occurrence | None:
    """Plan `day`: booked, or needing a new time. None when it is planned already."""
    starts_at, ends_at = local_slot(
        day, series.first_start, series.duration_minutes, series.country
    )
    try:
        with transaction.atomic():
            # Ended meanwhile (the row lock waits for an end under way): plan nothing.
            if (
                not Series.objects.select_for_update()
                .filter(pk=series.pk, state=SeriesState.ACTIVE)
                .exists()
            ):
                return None
            occurrence = Occurrence.objects.create(
                series=series,
                planned_on=day,
                starts_at=starts_at,
                ends_at=ends_at,
                state=OccurrenceState.NEEDS_TIME,
            )
            try:
                with transaction.atomic():
                    booking_id = book_slot(series, starts_at, ends_at)
            except QuartierError as error:
                occurrence.reason = error.code[:40]
                occurrence.save(update_fields=["reason", "updated_at"])
                tell_series(series, "needs_time", starts_at=starts_at, reason=error.code)
                return occurrence
            occurrence.state, occurrence.booking_id = OccurrenceState.BOOKED, booking_id
            occurrence.save(update_fields=["state", "booking_id", "updated_at"])
            return occurrence
    except IntegrityError:  # another extension planned this date meanwhile
        return None


def series_extend(*, series_id: int, now: datetime | None = None) -> list[Occurrence]:
    """Plan the active series' dates from now to the horizon; idempotent."""
    now = now or timezone.now()
    series = Series.objects.select_related("customer", "helper").get(pk=series_id)
    if series.state != SeriesState.ACTIVE:
        return []
    planned = set(Occurrence.objects.filter(series=series).values_list("planned_on", flat=True))
    made: list[Occurrence] = []
    for day in planned_dates(
        first_local_date(series.first_start, series.country), series.frequency
    ):
        if series.until is not None and day > series.until:
            break
        starts_at, _ = local_slot(day, series.first_start, series.duration_minutes, series.country)
        if starts_at > now + HORIZON:
            break
        if day in planned or starts_at <= now:
            continue
        occurrence = _plan_one(series, day)
        if occurrence is not None:
            made.append(occurrence)
    return made


def series_extend_all() -> int:
    """The periodic tick: every active series, each on its own; returns how many planned."""
    count = 0
    ids = list(Series.objects.filter(state=SeriesState.ACTIVE).values_list("pk", flat=True))
    for series_id in ids:
        try:
            count += len(series_extend(series_id=series_id))
        except Exception:  # one broken series must not stop the others
            log.exception("series %s could not be extended", series_id)
    return count
