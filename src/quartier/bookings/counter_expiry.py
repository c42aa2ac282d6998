"""Counters that expire unanswered: the `counters` tick stores them as expired (they read as
expired from `expires_at` on anyway, `Counter.status_at`) and tells the customer once, so
they know to book the offer as it stands or choose another. The guarded update makes a tick
running twice, or in two workers, tell nobody twice."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .counter_models import Counter, CounterStatus

TICK_LIMIT = 500


def counters_expire(*, now: datetime | None = None, limit: int = TICK_LIMIT) -> int:
    """Store the open counters past their time as expired and tell each customer; returns
    how many expired."""
    now = now or timezone.now()
    due = (
        Counter.objects.filter(status=CounterStatus.OPEN, expires_at__lte=now)
        .select_related("offer__helper", "request__customer")
        .order_by("expires_at", "pk")[:limit]
    )
    expired = 0
    for counter in due:
        with transaction.atomic():
            moved = Counter.objects.filter(pk=counter.pk, status=CounterStatus.OPEN).update(
                status=CounterStatus.EXPIRED, closed_at=counter.expires_at
            )
            if moved:
                expired += 1
                _tell_expired(counter)
    return expired


def _tell_expired(counter: Counter) -> None:
    job = counter.request
    if job.customer is None:
        return
    offer = counter.offer
    notify(
        user=job.customer,
        kind=Kind.OFFER,
        context={
            "counter_answer": "expired",
            "title": job.title,
            "helper_name": offer.helper.first_name,
            "price_minor": offer.price_minor,
            "currency": offer.currency,
            "changed": False,
        },
        link=Link(Page.REQUEST, (job.pk,)),
    )
