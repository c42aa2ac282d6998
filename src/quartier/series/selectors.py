"""Reads of series: the actor-scoped access (the customer, their live delegates and the helper
of a series; anyone else gets 404, as if it did not exist) and what its page and the API show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.errors import NotFound
from quartier.households.access import acts_for, customer_ids_for

from .models import Occurrence, Series


def series_list_for(*, actor: User) -> QuerySet[Series]:
    return Series.objects.filter(
        Q(customer_id__in=customer_ids_for(actor)) | Q(helper=actor)
    ).select_related("customer", "helper")


def get_series_for(actor: User, series_id: int) -> Series:
    series = Series.objects.select_related("customer", "helper").filter(pk=series_id).first()
    if series is None or not (actor.pk == series.helper_id or on_customer_side(actor, series)):
        raise NotFound("No such series.")
    return series


def on_customer_side(actor: User, series: Series) -> bool:
    """The customer or their live delegate (who acts for them)."""
    return acts_for(actor, series.customer_id)


def may_answer(actor: User, series: Series) -> bool:
    """A proposal is answered by the other side: the helper, or the customer's side (the
    customer or a delegate) when the helper proposed."""
    helper_proposed = series.proposed_by_id == series.helper_id
    return series.state == "proposed" and helper_proposed == on_customer_side(actor, series)


def get_occurrence_for(actor: User, series_id: int, occurrence_id: int) -> Occurrence:
    series = get_series_for(actor, series_id)
    occurrence = Occurrence.objects.filter(pk=occurrence_id, series=series).first()
    if occurrence is None:
        raise NotFound("No such occurrence in this series.")
    occurrence.series = series
    return occurrence


@dataclass(frozen=True)
class OccurrenceView:
    """An occurrence as shown: a booked one at its booking's (possibly moved) time."""

    occurrence: Occurrence
    starts_at: datetime
    ends_at: datetime
    booking_state: str


def occurrence_views(series: Series) -> list[OccurrenceView]:
    occurrences = list(series.occurrences.all())
    ids = [o.booking_id for o in occurrences if o.booking_id is not None]
    bookings = {
        b.pk: b for b in Booking.objects.filter(pk__in=ids).only("starts_at", "ends_at", "state")
    }
    views = []
    for occurrence in occurrences:
        booking = bookings.get(occurrence.booking_id or 0)
        views.append(
            OccurrenceView(
                occurrence=occurrence,
                starts_at=booking.starts_at if booking else occurrence.starts_at,
                ends_at=booking.ends_at if booking else occurrence.ends_at,
                booking_state=booking.state if booking else "",
            )
        )
    return views
