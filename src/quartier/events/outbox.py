"""Record domain events with the change; deliver them to handlers after commit, each once.

    @handles("booking.completed")
    def settle(event: DomainEvent) -> None: ...      # runs in the worker, after commit

    record_event("booking.completed", booking_id=7)   # inside the service's transaction

Delivery (`events_deliver`) runs from a task enqueued after every commit that recorded an
event, and from the worker's periodic tick (so an event whose task was lost, or whose
handler failed, is picked up again). Events go out oldest first, across handlers; the claim
(a `HandledEvent` row) and the handler's effect commit together, so a crash before commit
leaves the event for the next run, and a second worker racing for the same event hits the
unique constraint and skips it. A handler that raises is retried on the next run, and its
later events wait behind it, so a handler never sees events out of order.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

logger = logging.getLogger("quartier.events")

Handler = Callable[[Any], None]


@dataclass(frozen=True)
class Registration:
    name: str
    kinds: frozenset[str]
    func: Handler


_registry: dict[str, Registration] = {}


def handles(*kinds: str, name: str | None = None) -> Callable[[Handler], Handler]:
    """Register `func` for the event kinds. The name (default: module.function) is the
    handler's identity in `HandledEvent`: renaming it makes it handle every event again."""

    def register(func: Handler) -> Handler:
        key = name or f"{func.__module__}.{func.__qualname__}"
        _registry[key] = Registration(key, frozenset(kinds), func)
        return func

    return register


def registered() -> list[Registration]:
    return sorted(_registry.values(), key=lambda r: r.name)


def record_event(kind: str, **payload: Any) -> Any:
    """Write the event inside the caller's transaction; wake the worker after commit.
    Values are stored as JSON (datetimes as ISO 8601 strings)."""
    from .models import DomainEvent

    as_json = json.loads(_PayloadEncoder().encode(payload))
    event = DomainEvent.objects.create(kind=kind, payload=as_json)
    transaction.on_commit(_wake)
    return event


class _PayloadEncoder(DjangoJSONEncoder):
    """Datetimes to the microsecond (Django's encoder cuts them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _wake() -> None:
    from .tasks import events_deliver_task

    try:
        events_deliver_task.enqueue()
    except Exception:  # the queue may be away; the worker's tick delivers later
        logger.warning("could not enqueue event delivery; the tick will do it", exc_info=True)


def events_deliver(*, limit: int = 500) -> int:
    """Hand pending events to their handlers, oldest first across all handlers (so a
    partner's webhooks leave in the order things happened); returns how many were handled.
    A handler that fails is skipped for the rest of this run: its later events wait."""
    from .models import DomainEvent, HandledEvent

    registrations = registered()
    pending: set[int] = set()
    for registration in registrations:
        pending.update(_pending_ids(registration, limit=limit))
    ids = sorted(pending)[:limit]
    done = set(HandledEvent.objects.filter(event_id__in=ids).values_list("event_id", "handler"))
    blocked: set[str] = set()
    handled = 0
    for event in DomainEvent.objects.filter(pk__in=ids).order_by("id"):
        for registration in registrations:
            if event.kind not in registration.kinds or registration.name in blocked:
                continue
            if (event.pk, registration.name) in done:
                continue
            outcome = _handle(registration, event)
            if outcome is None:
                blocked.add(registration.name)
            handled += int(bool(outcome))
    return handled


def _pending_ids(registration: Registration, *, limit: int) -> list[int]:
    from .models import DomainEvent

    return list(
        DomainEvent.objects.filter(kind__in=registration.kinds)
        .exclude(handled__handler=registration.name)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def _handle(registration: Registration, event: Any) -> bool | None:
    """True: handled now; False: another worker had it; None: the handler failed."""
    from .models import HandledEvent

    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    HandledEvent.objects.create(event=event, handler=registration.name)
            except IntegrityError:
                return False
            registration.func(event)
    except Exception:
        logger.exception("handler %s failed on event #%s", registration.name, event.pk)
        return None
    return True


def pending_count() -> int:
    """Events some handler has still to handle, counted once per handler (a metric: a
    number that keeps growing means a handler fails or the worker is down)."""
    from .models import DomainEvent

    return sum(
        DomainEvent.objects.filter(kind__in=registration.kinds)
        .exclude(handled__handler=registration.name)
        .count()
        for registration in registered()
    )
