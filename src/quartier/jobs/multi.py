"""Requests for several helpers (a move: two helpers booked together) or several visits (a
garden over three days).

A request has `slots` bookings to fill: `helpers_needed` helpers at the request's window, or
one booking per `RequestVisit`. It stays open for offers (`requested`/`offered`) until every
slot holds a booking, and counts as booked only then; meanwhile the slots already booked are
real bookings (the helper sees the address and the team's conversation). The one-helper
request (one slot, no visits) is untouched by all of this.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from quartier.errors import field_error

from .models import JobRequest, Participant, RequestVisit

MAX_HELPERS = 6
MAX_VISITS = 10


@dataclass(frozen=True, slots=True)
class VisitWindow:
    starts_at: datetime
    ends_at: datetime


def slots_check(helpers_needed: int, visits: list[VisitWindow]) -> None:
    """Bad input is a field error: 1..6 helpers, or 2..10 ordered, separate visits."""
    if not 1 <= helpers_needed <= MAX_HELPERS:
        raise field_error(
            "helpers_needed",
            f"Ask for 1 to {MAX_HELPERS} helpers.",
            code="helpers_needed_out_of_range",
        )
    if not visits:
        return
    if helpers_needed != 1:
        raise field_error(
            "visits",
            "Ask either for several helpers or for several visits, not both.",
            code="helpers_and_visits",
        )
    if not 2 <= len(visits) <= MAX_VISITS:
        raise field_error(
            "visits", f"Give 2 to {MAX_VISITS} visits.", code="visit_count_out_of_range"
        )
    ordered = sorted(visits, key=lambda v: v.starts_at)
    for visit in ordered:
        if visit.ends_at <= visit.starts_at:
            raise field_error(
                "visits", "Each visit must end after it starts.", code="visit_reversed"
            )
    for first, second in itertools.pairwise(ordered):
        if second.starts_at < first.ends_at:
            raise field_error("visits", "The visits must not overlap.", code="visits_overlap")


def visits_span(visits: list[VisitWindow]) -> tuple[datetime, datetime]:
    """The request's window: from the first visit's start to the last one's end."""
    return min(v.starts_at for v in visits), max(v.ends_at for v in visits)


def visits_save(request: JobRequest, visits: list[VisitWindow]) -> None:
    ordered = sorted(visits, key=lambda v: v.starts_at)
    RequestVisit.objects.bulk_create(
        RequestVisit(request=request, number=n, starts_at=v.starts_at, ends_at=v.ends_at)
        for n, v in enumerate(ordered, start=1)
    )


def same_hours_on(start: datetime, end: datetime, days: list[date]) -> list[VisitWindow]:
    """The first visit's hours repeated on further days (the web form's way to ask)."""
    local_start = timezone.localtime(start)
    windows = [VisitWindow(start, end)]
    for day in days:
        shift = timedelta(days=(day - local_start.date()).days)
        windows.append(VisitWindow(start + shift, end + shift))
    return windows


def visit_for(request: JobRequest, starts_at: datetime, ends_at: datetime) -> int:
    """The number of the visit a time lies in (an offer's), or a field error."""
    for visit in request.visits.all():
        if visit.starts_at <= starts_at and ends_at <= visit.ends_at:
            return visit.number
    raise field_error(
        "proposed_start",
        "Propose a time within one of the visits the customer asked for.",
        code="outside_visits",
    )


def request_helper_booked_set(*, request_id: int, helper_id: int, booked: bool) -> None:
    """Bookings tell jobs who is booked on a multi request (they see the address)."""
    if booked:
        Participant.objects.update_or_create(
            request_id=request_id, helper_id=helper_id, defaults={"booked": True}
        )
    else:
        Participant.objects.filter(request_id=request_id, helper_id=helper_id).update(booked=False)


def helper_is_booked(request: JobRequest, helper_id: int | None) -> bool:
    """The helper holds a booking on the request: its booked helper, or on a multi request
    one of its booked helpers."""
    if helper_id is None:
        return False
    if request.booked_helper_id == helper_id:
        return True
    return (
        request.is_multi
        and Participant.objects.filter(request=request, helper_id=helper_id, booked=True).exists()
    )


def booked_helper_ids(request: JobRequest) -> list[int]:
    """Every helper booked on the request, in the order they joined."""
    if not request.is_multi:
        return [request.booked_helper_id] if request.booked_helper_id else []
    return list(
        Participant.objects.filter(request=request, booked=True)
        .order_by("id")
        .values_list("helper_id", flat=True)
    )
