"""The webhook outbox: events are written in the transaction that made the change.

`webhook_emit` stores one `WebhookMessage` and one pending `WebhookDelivery` per enabled
endpoint subscribed to the event; delivery (signing, retries) runs in background tasks
enqueued once the transaction commits, so a rolled-back change never sends a webhook and a
committed one is never lost (the worker's sweep picks up anything a crash left behind).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Case, WebhookDelivery, WebhookEndpoint, WebhookMessage


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(12)


def webhook_emit(
    *, partner_id: int, event_type: str, data: dict[str, Any], case: Case | None = None
) -> WebhookMessage:
    """Record `event_type` for the partner's subscribed endpoints (call inside the change's
    transaction). The payload follows Standard Webhooks: {type, timestamp, data}."""
    now = timezone.now()
    message = WebhookMessage.objects.create(
        partner_id=partner_id,
        msg_id=new_message_id(),
        event_type=event_type,
        case=case,
        payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
    )
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(partner_id=partner_id, is_enabled=True)
        if event_type in e.events
    ]
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(message=message, endpoint=e, next_attempt_at=now) for e in endpoints
    )
    if deliveries:
        from .tasks import webhook_deliver  # local: tasks import the delivery code

        for delivery in deliveries:
            delivery_id = delivery.pk
            transaction.on_commit(lambda d=delivery_id: webhook_deliver.enqueue(d))
    return message
