"""Counters that expire unanswered: the `counters` tick stores them as expired (they read as
expired from `expires_at` on anyway, `Counter.status_at`) and tells the customer once, so
they know to book the offer as it stands or choose another. The guarded update makes a tick
running twice, or in two workers, tell nobody twice."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .counter_models import Counter, CounterStatus
from .counter_notices import tell_counter_expired

TICK_LIMIT = 500


def counters_expire(*, now: datetime | None = None, limit: int = TICK_LIMIT) -> int:
    """Store the open counters past their time as expired and tell each customer; returns
    how many expired."""
    now = now or timezone.now()
    due = (
        Counter.objects.filter(status=CounterStatus.OPEN, expires_at__lte=now)
        .select_related("offer__helper", "offer__request__customer")
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
                tell_counter_expired(counter)
    return expired
