"""Recurring series on the API: propose, accept or decline, list, read, end; skip or move
one occurrence. Only the series' customer and helper see it (anyone else: 404)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from quartier.accounts.auth import api_auth, current_user

from .models import Series
from .schemas import OccurrenceMoveIn, OccurrenceOut, SeriesEndIn, SeriesIn, SeriesOut
from .selectors import get_series_for, occurrence_views, series_list_for
from .services import (
    occurrence_move,
    occurrence_skip,
    series_accept,
    series_decline,
    series_end,
    series_propose,
)

router = Router(tags=["recurring series"], auth=api_auth)


def series_out(series: Series) -> SeriesOut:
    occurrences = [
        OccurrenceOut(
            id=view.occurrence.pk,
            planned_on=view.occurrence.planned_on,
            starts_at=view.starts_at,
            ends_at=view.ends_at,
            state=view.occurrence.state,  # type: ignore[arg-type]  # checked in the db
            reason=view.occurrence.reason,
            booking_id=view.occurrence.booking_id,
            booking_state=view.booking_state,
        )
        for view in occurrence_views(series)
    ]
    return SeriesOut(
        id=series.pk,
        state=series.state,  # type: ignore[arg-type]
        customer_id=series.customer_id,
        helper_id=series.helper_id,
        helper_name=series.helper.full_name,
        proposed_by_id=series.proposed_by_id,
        origin_booking_id=series.origin_booking_id,
        title=series.title,
        frequency=series.frequency,  # type: ignore[arg-type]
        first_start=series.first_start,
        duration_minutes=series.duration_minutes,
        until=series.until,
        pricing=series.pricing,  # type: ignore[arg-type]
        price_minor=series.price_minor,
        currency=series.currency,
        created_at=series.created_at,
        accepted_at=series.accepted_at,
        ended_at=series.ended_at,
        occurrences=occurrences,
    )


def _fresh(request: HttpRequest, series_id: int) -> SeriesOut:
    return series_out(get_series_for(current_user(request), series_id))


@router.post("/series", response={201: SeriesOut})
def create_series(request: HttpRequest, payload: SeriesIn) -> Status[SeriesOut]:
    """The customer or the helper of a booking proposes to repeat it (weekly, every two
    weeks, monthly) from `first_start`, until a date or open-ended; the other side is asked
    to accept. Nothing is booked before that."""
    series = series_propose(
        actor=current_user(request),
        booking_id=payload.booking_id,
        frequency=payload.frequency,
        first_start=payload.first_start,
        duration_minutes=payload.duration_minutes,
        until=payload.until,
        price_minor=payload.price_minor,
    )
    return Status(201, series_out(series))


@router.get("/series", response=list[SeriesOut])
def list_series(request: HttpRequest) -> list[SeriesOut]:
    """The series one is the customer or the helper of, newest first."""
    return [series_out(s) for s in series_list_for(actor=current_user(request))]


@router.get("/series/{series_id}", response=SeriesOut)
def get_series(request: HttpRequest, series_id: int) -> SeriesOut:
    """A series with its occurrences: booked (with the booking), needing a new time (with
    the reason: the helper is away, does not work then, or is booked), skipped, cancelled."""
    return _fresh(request, series_id)


@router.post("/series/{series_id}/accept", response=SeriesOut)
def accept_series(request: HttpRequest, series_id: int) -> SeriesOut:
    """The side that did not propose agrees; the next eight weeks are booked at once and
    kept booked ahead. 403 `own_proposal` for the proposer; 409 unless proposed."""
    series_accept(actor=current_user(request), series_id=series_id)
    return _fresh(request, series_id)


@router.post("/series/{series_id}/decline", response=SeriesOut)
def decline_series(request: HttpRequest, series_id: int) -> SeriesOut:
    """Decline a proposed series (the proposer takes it back the same way)."""
    series_decline(actor=current_user(request), series_id=series_id)
    return _fresh(request, series_id)


@router.post("/series/{series_id}/end", response=SeriesOut)
def end_series(
    request: HttpRequest, series_id: int, payload: SeriesEndIn | None = None
) -> SeriesOut:
    """Either side ends the series: future visits are cancelled without fees; past and
    started ones stay."""
    body = payload or SeriesEndIn()
    series_end(actor=current_user(request), series_id=series_id, reason=body.reason)
    return _fresh(request, series_id)


@router.post("/series/{series_id}/occurrences/{occurrence_id}/skip", response=SeriesOut)
def skip_occurrence(request: HttpRequest, series_id: int, occurrence_id: int) -> SeriesOut:
    """Skip one date. The customer's skip of a booked visit is a cancellation on the usual
    terms (free until 24 hours before); the helper's is free."""
    occurrence_skip(actor=current_user(request), series_id=series_id, occurrence_id=occurrence_id)
    return _fresh(request, series_id)


@router.post("/series/{series_id}/occurrences/{occurrence_id}/move", response=SeriesOut)
def move_occurrence(
    request: HttpRequest, series_id: int, occurrence_id: int, payload: OccurrenceMoveIn
) -> SeriesOut:
    """Move one date: a booked visit gets a new time proposed on its booking (the other side
    answers there); a date that needs a new time is booked at once if the helper is free."""
    occurrence_move(
        actor=current_user(request),
        series_id=series_id,
        occurrence_id=occurrence_id,
        starts_at=payload.starts_at,
    )
    return _fresh(request, series_id)
