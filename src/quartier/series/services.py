"""Writes for series: propose (either side), accept or decline (the other side), end
(either side), and per occurrence skip or move.

The flow is the one recurring cleaning platforms use: the series is set up with a helper
the customer has booked before, and the other side agrees before anything is booked — a
helper is never committed to dates they did not accept, and a customer never pays for
a series they did not ask for. Then each date is booked like any job (occurrences).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.models import Offer, Pricing
from quartier.bookings.offer_terms import offer_lines
from quartier.bookings.reschedule import reschedule_propose
from quartier.bookings.selectors import get_booking_for
from quartier.bookings.services import booking_cancel, booking_cancel_free
from quartier.bookings.states import BookingState
from quartier.errors import Conflict, Forbidden, field_error
from quartier.events import record_event
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act

from .models import Frequency, Occurrence, OccurrenceState, Series, SeriesState
from .notices import tell_series
from .occurrences import book_slot, series_extend
from .schedule import first_local_date
from .selectors import get_occurrence_for, get_series_for, may_answer, on_customer_side

MAX_AHEAD = timedelta(days=365)
LIVE_SERIES = (SeriesState.PROPOSED, SeriesState.ACTIVE)


def _check_terms(
    frequency: str, first_start: datetime, duration_minutes: int, until: date | None, country: str
) -> None:
    if frequency not in Frequency.values:
        raise field_error(
            "frequency", "Choose weekly, every two weeks or monthly.", code="bad_frequency"
        )
    if timezone.is_naive(first_start):
        raise field_error("first_start", "Give the time with its time zone.", code="naive_time")
    now = timezone.now()
    if first_start <= now:
        raise field_error(
            "first_start", "The first date must be in the future.", code="first_start_past"
        )
    if first_start > now + MAX_AHEAD:
        raise field_error(
            "first_start", "The first date must be within a year.", code="first_start_far"
        )
    if not 15 <= duration_minutes <= 720:
        raise field_error(
            "duration_minutes", "A visit lasts 15 minutes to 12 hours.", code="bad_duration"
        )
    if until is not None and until < first_local_date(first_start, country):
        raise field_error(
            "until", "The series must end after its first date.", code="until_before_start"
        )


def _price_of(booking_offer: Offer, pricing: str, price_minor: int | None, total: int) -> int:
    if price_minor is not None:
        if not 0 < price_minor <= 10_000_000:
            raise field_error("price_minor", "Give a price above zero.", code="bad_price")
        return price_minor
    if pricing == Pricing.HOURLY:
        lines = offer_lines(booking_offer)
        return lines[0].unit_minor if lines else total
    return total


def series_propose(
    *,
    actor: User,
    booking_id: int,
    frequency: str,
    first_start: datetime,
    duration_minutes: int | None = None,
    until: date | None = None,
    price_minor: int | None = None,
) -> Series:
    """Either party of a booking proposes to repeat it; the other side is asked. The price
    is the booking's (per visit, or its hourly rate) unless the proposer names another."""
    booking = get_booking_for(actor, booking_id)
    if not (actor.pk == booking.helper_id or acts_for(actor, booking.customer_id)):
        raise Forbidden("Only the customer and the helper set up a series.", code="wrong_party")
    customer = booking.customer
    if customer is None or booking.state == BookingState.CANCELLED:
        raise Conflict("This booking cannot be repeated.", code="illegal_state")
    job = booking.request
    duration = duration_minutes or int((booking.ends_at - booking.starts_at).total_seconds() // 60)
    _check_terms(frequency, first_start, duration, until, job.country)
    pricing = booking.offer.pricing
    price = _price_of(booking.offer, pricing, price_minor, booking.price_minor)
    with transaction.atomic():
        if Series.objects.filter(origin_booking_id=booking.pk, state__in=LIVE_SERIES).exists():
            raise Conflict("This booking already repeats.", code="series_exists")
        series = Series.objects.create(
            customer=customer,
            helper_id=booking.helper_id,
            origin_booking_id=booking.pk,
            skill_slug=job.skill.slug,
            title=job.title,
            description=job.description,
            country=job.country,
            postcode=job.postcode,
            street_address=job.street_address,
            frequency=frequency,
            first_start=first_start,
            duration_minutes=duration,
            until=until,
            pricing=pricing,
            price_minor=price,
            currency=booking.currency,
            proposed_by=actor,
        )
        record_event("series.proposed", series_id=series.pk, by_user_id=actor.pk)
        _acted(series, "proposed", actor=actor, starts_at=first_start)
    return series


def _acted(series: Series, step: str, *, actor: User, starts_at: datetime | None = None) -> None:
    """Both sides are told of the step; a delegate's step is written down for the member."""
    record_delegate_act(actor, series.customer_id, f"series.{step}", series)
    tell_series(series, step, actor=actor, starts_at=starts_at)


def _move(series: Series, source: tuple[str, ...], target: str, **changes: object) -> None:
    moved = Series.objects.filter(pk=series.pk, state__in=source).update(state=target, **changes)
    if moved != 1:
        raise Conflict(f"This series is {series.state}.", code="illegal_state")


def series_accept(*, actor: User, series_id: int) -> Series:
    """The other side agrees: the series runs, and its next weeks are booked."""
    series = get_series_for(actor, series_id)
    if series.state == SeriesState.PROPOSED and not may_answer(actor, series):
        raise Forbidden("The other side agrees to your proposal.", code="own_proposal")
    with transaction.atomic():
        _move(series, (SeriesState.PROPOSED,), SeriesState.ACTIVE, accepted_at=timezone.now())
        record_event("series.accepted", series_id=series.pk, by_user_id=actor.pk)
        _acted(series, "accepted", actor=actor, starts_at=series.first_start)
    series_extend(series_id=series.pk)
    series.refresh_from_db()
    return series


def series_decline(*, actor: User, series_id: int) -> Series:
    """The other side declines (or the proposer takes it back): nothing is booked."""
    series = get_series_for(actor, series_id)
    with transaction.atomic():
        _move(
            series,
            (SeriesState.PROPOSED,),
            SeriesState.DECLINED,
            ended_at=timezone.now(),
            ended_by=actor,
        )
        record_event("series.declined", series_id=series.pk, by_user_id=actor.pk)
        _acted(series, "declined", actor=actor)
    series.refresh_from_db()
    return series


def series_end(*, actor: User, series_id: int, reason: str = "") -> Series:
    """Either side ends the series: every future occurrence is cancelled without a fee (the
    series' terms allowed for it); past and started visits stay as they are."""
    series = get_series_for(actor, series_id)
    now = timezone.now()
    with transaction.atomic():
        _move(
            series,
            LIVE_SERIES,
            SeriesState.ENDED,
            ended_at=now,
            ended_by=actor,
            end_reason=reason[:200],
        )
        future = Occurrence.objects.select_for_update().filter(
            series=series,
            starts_at__gt=now,
            state__in=(OccurrenceState.BOOKED, OccurrenceState.NEEDS_TIME),
        )
        for occurrence in future:
            if occurrence.booking_id is not None:
                try:
                    with transaction.atomic():
                        booking_cancel_free(
                            actor=actor, booking_id=occurrence.booking_id, reason="series ended"
                        )
                except Conflict:  # the visit moved on (started): it stays
                    continue
            occurrence.state, occurrence.reason = OccurrenceState.CANCELLED, "series_ended"
            occurrence.save(update_fields=["state", "reason", "updated_at"])
        record_event("series.ended", series_id=series.pk, by_user_id=actor.pk, reason=reason[:200])
        _acted(series, "ended", actor=actor)
    series.refresh_from_db()
    return series


def _open_occurrence(actor: User, series_id: int, occurrence_id: int) -> Occurrence:
    occurrence = get_occurrence_for(actor, series_id, occurrence_id)
    if occurrence.series.state != SeriesState.ACTIVE:
        raise Conflict("This series is not running.", code="illegal_state")
    if occurrence.state not in (OccurrenceState.BOOKED, OccurrenceState.NEEDS_TIME):
        raise Conflict(f"This date is {occurrence.state}.", code="illegal_state")
    return occurrence


def occurrence_skip(*, actor: User, series_id: int, occurrence_id: int) -> Occurrence:
    """Skip one date. The customer's skip is a booking's cancellation on its usual terms
    (free until the market's hours before); the helper's is free and not re-dispatched."""
    occurrence = _open_occurrence(actor, series_id, occurrence_id)
    series = occurrence.series
    by_customer = on_customer_side(actor, series)
    with transaction.atomic():
        if occurrence.booking_id is not None:
            if by_customer:
                booking_cancel(actor=actor, booking_id=occurrence.booking_id, reason="skipped")
            else:
                booking_cancel_free(actor=actor, booking_id=occurrence.booking_id, reason="skipped")
        reason = "skipped_by_customer" if by_customer else "skipped_by_helper"
        updated = Occurrence.objects.filter(
            pk=occurrence.pk, state__in=(OccurrenceState.BOOKED, OccurrenceState.NEEDS_TIME)
        ).update(state=OccurrenceState.SKIPPED, reason=reason, updated_at=timezone.now())
        if updated != 1:
            raise Conflict("This date changed meanwhile.", code="illegal_state")
        _acted(series, "skipped", actor=actor, starts_at=occurrence.starts_at)
    occurrence.refresh_from_db()
    return occurrence


def occurrence_move(
    *, actor: User, series_id: int, occurrence_id: int, starts_at: datetime
) -> Occurrence:
    """Move one date. A booked one: a new time is proposed on its booking, and the other
    side accepts or declines it there (reschedule). One that needs a new time is booked at
    once at the new time if the helper is free then (inside their weekly slots)."""
    occurrence = _open_occurrence(actor, series_id, occurrence_id)
    series = occurrence.series
    if occurrence.booking_id is not None:
        reschedule_propose(actor=actor, booking_id=occurrence.booking_id, starts_at=starts_at)
        return occurrence
    if timezone.is_naive(starts_at) or starts_at <= timezone.now():
        raise field_error("starts_at", "Choose a time in the future.", code="starts_at_past")
    ends_at = starts_at + timedelta(minutes=series.duration_minutes)
    with transaction.atomic():
        locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
        if locked.state != OccurrenceState.NEEDS_TIME:
            raise Conflict("This date changed meanwhile.", code="illegal_state")
        booking_id = book_slot(series, starts_at, ends_at)
        locked.state, locked.booking_id, locked.reason = OccurrenceState.BOOKED, booking_id, ""
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.save()
        _acted(series, "moved", actor=actor, starts_at=starts_at)
    return locked
