"""A partner's webhook endpoints: create, update, enable, disable, rotate, redeliver.

Endpoints are managed by the partner's admins (reads are in `selectors`). Each endpoint has
its own Standard Webhooks secret (`whsec_` + base64 of 24 random bytes), shown to the
partner on its settings page and rotated on demand. Anything of another partner is NotFound.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from quartier.errors import Conflict, NotFound, field_error

from ..access import PartnerActor, require_admin
from ..models import Partner, PartnerApiKey, WebhookDelivery, WebhookEndpoint
from ..states import DeliveryStatus, WebhookEvent
from .delivery import UnsafeUrl, url_check
from .selectors import endpoint_of_partner

MAX_ENDPOINTS = 10


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _clean_url(url: str) -> str:
    url = url.strip()
    if len(url) > 500:
        raise field_error("url", "The URL may have at most 500 characters.")
    try:
        url_check(url)
    except UnsafeUrl as unsafe:
        raise field_error("url", str(unsafe), code="unsafe_url") from None
    return url


def _clean_events(events: Sequence[str]) -> list[str]:
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise field_error("events", f"Unknown event types: {', '.join(unknown)}.")
    if not events:
        raise field_error("events", "Choose at least one event type.")
    return [e for e in WebhookEvent.values if e in events]  # canonical order, no duplicates


def _clean_description(description: str) -> str:
    description = description.strip()
    if len(description) > 120:
        raise field_error("description", "At most 120 characters.")
    return description


def _who(actor: PartnerActor) -> str:
    return f"API key {actor.prefix}…" if isinstance(actor, PartnerApiKey) else actor.email


def endpoint_create(
    *, actor: PartnerActor, partner: Partner, url: str, events: Sequence[str], description: str = ""
) -> WebhookEndpoint:
    """A new endpoint with its own signing secret; receives the chosen events from now on."""
    require_admin(actor, partner)
    url = _clean_url(url)
    chosen = _clean_events(events)
    description = _clean_description(description)
    with transaction.atomic():
        if WebhookEndpoint.objects.filter(partner=partner).count() >= MAX_ENDPOINTS:
            raise Conflict(
                f"A partner may have at most {MAX_ENDPOINTS} endpoints.", code="too_many_endpoints"
            )
        return WebhookEndpoint.objects.create(
            partner=partner, url=url, events=chosen, description=description, secret=new_secret()
        )


def endpoint_update(
    *,
    actor: PartnerActor,
    partner: Partner,
    endpoint_id: int,
    url: str | None = None,
    events: Sequence[str] | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    """Change the URL, the events or the description (None: unchanged). Messages already
    queued keep going to the new URL; new events apply to messages from now on."""
    require_admin(actor, partner)
    endpoint = endpoint_of_partner(partner, endpoint_id)
    changes: dict[str, object] = {}
    if url is not None:
        changes["url"] = _clean_url(url)
    if events is not None:
        changes["events"] = _clean_events(events)
    if description is not None:
        changes["description"] = _clean_description(description)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**changes)
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, actor: PartnerActor, partner: Partner, endpoint_id: int) -> None:
    """Remove the endpoint with its delivery log; queued messages are not sent there."""
    require_admin(actor, partner)
    endpoint = endpoint_of_partner(partner, endpoint_id)
    with transaction.atomic():
        endpoint.delete()


def endpoint_enable(*, actor: PartnerActor, partner: Partner, endpoint_id: int) -> WebhookEndpoint:
    """Re-enable an endpoint that was disabled after failing. Messages that failed while it
    was down stay failed (redeliver them from the log); new ones are sent again."""
    require_admin(actor, partner)
    endpoint = endpoint_of_partner(partner, endpoint_id)
    if endpoint.is_enabled:
        raise Conflict("This endpoint is enabled already.", code="endpoint_enabled")
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_enabled=True, disabled_at=None, disabled_reason=""
        )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_disable(*, actor: PartnerActor, partner: Partner, endpoint_id: int) -> WebhookEndpoint:
    """Stop sending to the endpoint (e.g. during maintenance); queued messages fail and can
    be redelivered from the log once it is enabled again."""
    require_admin(actor, partner)
    endpoint = endpoint_of_partner(partner, endpoint_id)
    if not endpoint.is_enabled:
        raise Conflict("This endpoint is disabled already.", code="endpoint_disabled")
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_enabled=False,
            disabled_at=timezone.now(),
            disabled_reason=f"Disabled by {_who(actor)}."[:200],
        )
        WebhookDelivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None
        )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_rotate_secret(
    *, actor: PartnerActor, partner: Partner, endpoint_id: int
) -> WebhookEndpoint:
    """A new signing secret, effective at once (also for retries of older messages)."""
    require_admin(actor, partner)
    endpoint = endpoint_of_partner(partner, endpoint_id)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=new_secret())
    endpoint.refresh_from_db()
    return endpoint


def delivery_redeliver(
    *, actor: PartnerActor, partner: Partner, delivery_id: int
) -> WebhookDelivery:
    """Queue a message to be sent to its endpoint again (also a failed one, also to a
    disabled endpoint, to test it); the worker makes one attempt within seconds, logged as
    manual. The HTTP call never runs in a web request: a slow endpoint would hold a web
    worker for the whole webhook timeout."""
    require_admin(actor, partner)
    delivery = (
        WebhookDelivery.objects.select_related("message", "endpoint")
        .filter(pk=delivery_id, endpoint__partner=partner)
        .first()
    )
    if delivery is None:
        raise NotFound("No such delivery.")
    from ..tasks import webhook_redeliver

    transaction.on_commit(lambda: webhook_redeliver.enqueue(delivery.pk))
    return delivery
