"""A member's series (as customer or helper): exported; on erasure, live series end (no new
dates are booked) and the customer's address and description are removed from the terms.
The dates' bookings are the bookings context's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from .models import Series, SeriesState


def export(user_id: int) -> dict[str, Any]:
    rows = Series.objects.filter(Q(customer_id=user_id) | Q(helper_id=user_id)).order_by("id")
    return {
        "series": [
            {
                "id": s.pk,
                "role": "customer" if s.customer_id == user_id else "helper",
                "title": s.title,
                "description": s.description,
                "street_address": s.street_address,
                "postcode": s.postcode,
                "frequency": s.frequency,
                "first_start": s.first_start.isoformat(),
                "until": s.until.isoformat() if s.until else None,
                "price_minor": s.price_minor,
                "currency": s.currency,
                "state": s.state,
                "occurrences": [
                    {"planned_on": o.planned_on.isoformat(), "state": o.state}
                    for o in s.occurrences.all()
                ],
            }
            for s in rows
        ]
    }


def erase(user_id: int) -> None:
    mine = Series.objects.filter(Q(customer_id=user_id) | Q(helper_id=user_id))
    mine.filter(state__in=(SeriesState.PROPOSED, SeriesState.ACTIVE)).update(
        state=SeriesState.ENDED, ended_at=timezone.now(), end_reason="account closed"
    )
    mine.filter(customer_id=user_id).update(street_address="", description="", title="—")
