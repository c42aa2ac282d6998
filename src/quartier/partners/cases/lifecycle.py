"""Case webhooks from domain events: receivers connected in `PartnersConfig.ready()`.

Every receiver runs inside the transaction of the change it reports (the signals are sent
in-transaction), so the outbox row commits or rolls back with it: no webhook for a change
that did not happen, none lost for one that did. Each event is emitted exactly once per
case: state moves are compare-and-set, `case.matched` checks the outbox first, a review is
written once per booking and author.

    request booked       -> case.booked      (and Case.first_offer_at, if not yet set)
    request in_progress  -> case.started
    request completed    -> case.completed
    request cancelled    -> case.cancelled
    first wave invited   -> case.matched
    customer's review    -> case.rated
    dispatch deadline    -> case_escalate(reason=sla) -> case.escalated (escalation.py)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from quartier.jobs.states import RequestState

from ..integration.outbox import webhook_emit
from ..models import Case, WebhookMessage
from ..states import EscalationReason, WebhookEvent
from .selectors import case_webhook_data
from .sla import sla_status

EVENT_FOR_STATE: dict[str, WebhookEvent] = {
    RequestState.BOOKED: WebhookEvent.CASE_BOOKED,
    RequestState.IN_PROGRESS: WebhookEvent.CASE_STARTED,
    RequestState.COMPLETED: WebhookEvent.CASE_COMPLETED,
    RequestState.CANCELLED: WebhookEvent.CASE_CANCELLED,
}
#: The first offer (fixed price: the acceptance, which books at once) stops the first SLA.
FIRST_OFFER_STATES = frozenset({RequestState.OFFERED, RequestState.BOOKED})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _case_for_request(request_id: int) -> Case | None:
    return (
        Case.objects.select_related("program", "service", "request__booked_helper")
        .filter(request_id=request_id)
        .first()
    )


def case_event_data(case: Case) -> dict[str, Any]:
    """The `data` of every case event: the case, its timestamps and SLA status, and the
    booked helper's first name once booked; never the helper's contact details."""
    helper = case.request.booked_helper
    completed_at = None
    if case.request.state in (RequestState.COMPLETED, RequestState.CLOSED):
        from quartier.bookings.models import Booking  # read-only: when the work was done

        # During the move to completed the booking's timestamp is not written yet.
        completed_at = (
            Booking.objects.filter(request_id=case.request_id)
            .values_list("completed_at", flat=True)
            .first()
        ) or case.request.updated_at
    return case_webhook_data(case) | {
        "created_at": _iso(case.created_at),
        "first_offer_at": _iso(case.first_offer_at),
        "completed_at": _iso(completed_at),
        "escalated_at": _iso(case.escalated_at),
        "escalation_reason": case.escalation_reason or None,
        "sla_status": sla_status(case),
        "helper": {"first_name": helper.first_name} if helper is not None else None,
    }


def emit_case_event(case: Case, event: WebhookEvent, **extra: Any) -> WebhookMessage:
    """Write a case event to the outbox (inside the caller's transaction); the outbox adds
    the case's standard fields to `extra`."""
    return webhook_emit(partner_id=case.partner_id, event_type=event, data=extra, case=case)


def on_request_state_changed(
    sender: object, request_id: int, from_state: str, to_state: str, **kwargs: object
) -> None:
    event = EVENT_FOR_STATE.get(to_state)
    if event is None and to_state not in FIRST_OFFER_STATES:
        return  # escalated: escalation.py emits case.escalated with what it learned
    case = _case_for_request(request_id)
    if case is None:
        return  # a public request
    if to_state in FIRST_OFFER_STATES and case.first_offer_at is None:
        now = timezone.now()
        Case.objects.filter(pk=case.pk, first_offer_at__isnull=True).update(first_offer_at=now)
        case.first_offer_at = now
    if event is not None:
        emit_case_event(case, event)


def on_dispatch_invited(sender: object, request_id: int, invited: int, **kwargs: object) -> None:
    """case.matched: the first wave that invited anyone (later waves are not reported)."""
    if not invited:
        return
    case = _case_for_request(request_id)
    if case is None:
        return
    if WebhookMessage.objects.filter(case=case, event_type=WebhookEvent.CASE_MATCHED).exists():
        return
    emit_case_event(case, WebhookEvent.CASE_MATCHED, invited=invited, wave=kwargs.get("wave"))


def on_review_created(
    sender: object, request_id: int, direction: str, rating: int, **kwargs: object
) -> None:
    """case.rated: the customer's overall rating of the helper (no review text)."""
    if direction != "customer_to_helper":
        return
    case = _case_for_request(request_id)
    if case is not None:
        emit_case_event(case, WebhookEvent.CASE_RATED, rating=rating)


def on_dispatch_deadline_escalated(sender: object, request_id: int, **kwargs: object) -> None:
    """The first-offer SLA passed without an acceptance: hand the case to the partner."""
    from .escalation import ESCALATABLE, case_escalate

    case = _case_for_request(request_id)
    if case is None or case.escalated_at is not None or case.request.state not in ESCALATABLE:
        return
    note = str(kwargs.get("note") or "The SLA deadline for a first offer passed.")
    case_escalate(case_id=case.pk, reason=EscalationReason.SLA, actor=None, note=note)


def connect() -> None:
    """Subscribe the receivers (PartnersConfig.ready)."""
    from quartier.events import (
        dispatch_deadline_escalated,
        dispatch_invited,
        request_state_changed,
        review_created,
    )

    request_state_changed.connect(on_request_state_changed, dispatch_uid="partners.lifecycle")
    dispatch_invited.connect(on_dispatch_invited, dispatch_uid="partners.matched")
    review_created.connect(on_review_created, dispatch_uid="partners.rated")
    dispatch_deadline_escalated.connect(
        on_dispatch_deadline_escalated, dispatch_uid="partners.sla_escalation"
    )
