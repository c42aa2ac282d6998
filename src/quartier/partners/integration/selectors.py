"""Reads of a partner's webhook endpoints and their delivery log (the settings page, the API).

Members of any role may read; anything of another partner is NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery

from quartier.errors import NotFound, field_error

from ..access import PartnerActor, member_role
from ..models import Partner, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..states import DeliveryStatus

LOG_LIMIT = 200


def endpoint_of_partner(partner: Partner, endpoint_id: int) -> WebhookEndpoint:
    """One of the partner's endpoints, else NotFound (another partner's id included)."""
    endpoint = WebhookEndpoint.objects.filter(partner=partner, pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


# --- the delivery log -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    msg_id: str
    event_type: str
    case_id: int | None
    status: str
    attempts: int
    last_response_status: int | None
    last_error: str
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None


def _readable(actor: PartnerActor, partner: Partner) -> None:
    if member_role(actor, partner) is None:
        raise NotFound("No such partner.")


def endpoint_list(*, actor: PartnerActor, partner: Partner) -> list[WebhookEndpoint]:
    """The partner's endpoints (members of any role)."""
    _readable(actor, partner)
    return list(WebhookEndpoint.objects.filter(partner=partner).order_by("pk"))


def endpoint_get(*, actor: PartnerActor, partner: Partner, endpoint_id: int) -> WebhookEndpoint:
    _readable(actor, partner)
    return endpoint_of_partner(partner, endpoint_id)


def _deliveries(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    last = WebhookAttempt.objects.filter(delivery=OuterRef("pk")).order_by("-attempted_at", "-pk")
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("message")
        .annotate(
            attempt_count=Count("attempt_log"),
            last_status=Subquery(last.values("response_status")[:1]),
            last_error=Subquery(last.values("error")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def delivery_log(
    *,
    actor: PartnerActor,
    partner: Partner,
    endpoint_id: int,
    status: DeliveryStatus | str | None = None,
    event_type: str | None = None,
    limit: int = 50,
) -> list[DeliveryRow]:
    """An endpoint's deliveries, newest first: message type, status, attempts (automatic
    and manual), the last response status or error."""
    _readable(actor, partner)
    endpoint = endpoint_of_partner(partner, endpoint_id)
    rows = _deliveries(endpoint)
    if status:
        if status not in DeliveryStatus.values:
            raise field_error("status", f"One of {', '.join(DeliveryStatus.values)}.")
        rows = rows.filter(status=status)
    if event_type:
        rows = rows.filter(message__event_type=event_type)
    return [
        DeliveryRow(
            id=d.pk,
            msg_id=d.message.msg_id,
            event_type=d.message.event_type,
            case_id=d.message.case_id,
            status=d.status,
            attempts=d.attempt_count,  # type: ignore[attr-defined]
            last_response_status=d.last_status,  # type: ignore[attr-defined]
            last_error=d.last_error or "",  # type: ignore[attr-defined]
            created_at=d.created_at,
            last_attempt_at=d.last_attempt_at,
            next_attempt_at=d.next_attempt_at,
        )
        for d in rows[: max(1, min(limit, LOG_LIMIT))]
    ]


def delivery_attempts(
    *, actor: PartnerActor, partner: Partner, delivery_id: int
) -> list[WebhookAttempt]:
    """Every attempt of one delivery, newest first (status, excerpt, error, duration)."""
    _readable(actor, partner)
    if not WebhookDelivery.objects.filter(pk=delivery_id, endpoint__partner=partner).exists():
        raise NotFound("No such delivery.")
    return list(WebhookAttempt.objects.filter(delivery_id=delivery_id))


def webhook_backlog() -> int:
    """Deliveries not yet accepted by the partner's endpoint and still to be tried."""
    return WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).count()
