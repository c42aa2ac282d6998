"""Counter-offers on the request pages: which counter belongs to an offer, and its status."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from quartier.bookings.counter_models import Counter, CounterStatus

register = template.Library()


@register.filter
def counter_of(counters: dict[int, Counter], offer: Any) -> Counter | None:
    """The counter an offer was countered with or agreed by (`counters_by_offer`)."""
    return counters.get(offer.pk)


@register.filter
def counter_status(counter: Counter) -> str:
    return str(CounterStatus(counter.status_at(timezone.now())).label)


@register.filter
def counter_expired(counter: Counter) -> bool:
    return counter.status_at(timezone.now()) == CounterStatus.EXPIRED
