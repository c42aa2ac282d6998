"""The webhook outbox: events are written in the transaction that made the change.

`webhook_emit` stores one `WebhookMessage` and one pending `WebhookDelivery` per enabled
endpoint subscribed to the event; delivery (signing, retries) runs in background tasks
enqueued once the transaction commits, so a rolled-back change never sends a webhook and a
committed one is never lost (the worker's sweep picks up anything a crash left behind).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Case, WebhookDelivery, WebhookEndpoint, WebhookMessage

logger = logging.getLogger(__name__)


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(12)


def webhook_emit(
    *, partner_id: int, event_type: str, data: dict[str, Any], case: Case | None = None
) -> WebhookMessage:
    """Record `event_type` for the partner's subscribed endpoints (call inside the change's
    transaction). The payload follows Standard Webhooks: {type, timestamp, data}.

    For a case event, `data` is completed with the fields every case event carries
    (`lifecycle.case_event_data`: ids, state, timestamps, SLA status, helper's first name);
    keys given in `data` win."""
    if case is not None:
        from ..cases.lifecycle import case_event_data  # local: lifecycle writes through the outbox

        data = case_event_data(case) | data
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
    for delivery in deliveries:
        transaction.on_commit(_enqueue(delivery.pk))
    return message


def _enqueue(delivery_id: int) -> Callable[[], None]:
    """The first attempt, once committed. A failure to enqueue (queue down) is logged, not
    raised: the change is committed and the worker's sweep sends the delivery anyway."""

    def enqueue() -> None:
        from ..tasks import webhook_deliver  # local: tasks import the delivery code

        try:
            webhook_deliver.enqueue(delivery_id)
        except Exception:
            logger.exception("webhook delivery %s not enqueued; the sweep will", delivery_id)

    return enqueue
