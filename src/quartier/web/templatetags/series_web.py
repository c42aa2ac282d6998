"""`{% booking_series booking %}`: on a booking's page, the series it belongs to, or
"Repeat this" to set one up (quartier.series)."""

from __future__ import annotations

from typing import Any

from django import template

from quartier.series.models import Occurrence, Series, SeriesState

register = template.Library()


@register.inclusion_tag("web/series/_booking.html")
def booking_series(booking: Any) -> dict[str, Any]:
    series_id = (
        Occurrence.objects.filter(booking_id=booking.pk).values_list("series_id", flat=True).first()
    )
    repeated = Series.objects.filter(
        origin_booking_id=booking.pk, state__in=(SeriesState.PROPOSED, SeriesState.ACTIVE)
    ).first()
    return {
        "booking": booking,
        "series_id": series_id or (repeated.pk if repeated else None),
        "may_repeat": series_id is None
        and repeated is None
        and booking.customer_id is not None
        and booking.state != "cancelled",
    }
