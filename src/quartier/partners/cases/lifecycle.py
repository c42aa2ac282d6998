"""Case webhooks from stored domain events (handlers registered on import).

Each handler runs in the worker after the change committed, in one transaction with its
"handled" mark, so its outbox row is written exactly once per event: no webhook for a
change that did not happen, none lost or doubled for one that did. The webhook's data is
the case as it was at the event (its state and SLA status then), not when the worker ran.

    request booked       -> case.booked      (and Case.first_offer_at, if not yet set)
    request in_progress  -> case.started       (the helper checked in)
    booking checked out  -> case.checked_out   (awaiting the customer's sign-off)
    "couldn't fix it"    -> case.not_fixed     (the helper's note, the visit fee due)
    request completed    -> case.completed     (signed off, by the customer or after 48 h)
    request cancelled    -> case.cancelled
    booked -> requested  -> case.redispatched (the helper cancelled; the case continues)
    first wave invited   -> case.matched
    customer's review    -> case.rated
    dispatch deadline    -> case_escalate(reason=sla) -> case.escalated (escalation.py)
    "couldn't fix it"    -> case_escalate(reason=helper) -> case.escalated
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quartier.events import handles
from quartier.events.models import DomainEvent
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


@handles(
    "request.moved",
    "dispatch.invited",
    "review.created",
    "case.escalated",
    "booking.checked_out",
    "booking.not_fixed",
    name="partners.case_webhooks",
)
def on_case_event(event: DomainEvent) -> None:
    """One handler for every case webhook, so they leave in the order things happened
    (a handler gets its events oldest first and waits behind a failure)."""
    payload = event.payload
    case = _case_for_request(payload["request_id"])
    if case is None:
        return  # a public request
    if event.kind == "request.moved":
        _request_moved(case, event)
    elif event.kind == "dispatch.invited":
        _matched(case, payload["invited"], payload["wave"])
    elif event.kind == "review.created" and payload["direction"] == "customer_to_helper":
        emit_case_event(case, WebhookEvent.CASE_RATED, rating=payload["rating"])
    elif event.kind == "booking.checked_out":
        at = {"state": "awaiting_sign_off", "sla_status": sla_status(case, now=event.occurred_at)}
        emit_case_event(case, WebhookEvent.CASE_CHECKED_OUT, **at)
    elif event.kind == "booking.not_fixed":
        _not_fixed(case, event)
    elif event.kind == "case.escalated":
        at = {"sla_status": sla_status(case, now=event.occurred_at)}
        emit_case_event(case, WebhookEvent.CASE_ESCALATED, escalation=payload["escalation"], **at)


def _request_moved(case: Case, event: DomainEvent) -> None:
    """case.booked / started / completed / cancelled, with the state and SLA status as they
    were when the request moved; the first acceptance stops the first-offer clock."""
    to_state = event.payload["to_state"]
    if to_state in FIRST_OFFER_STATES and case.first_offer_at is None:
        Case.objects.filter(pk=case.pk, first_offer_at__isnull=True).update(
            first_offer_at=event.occurred_at
        )
        case.first_offer_at = event.occurred_at
    webhook = EVENT_FOR_STATE.get(to_state)
    if to_state == RequestState.REQUESTED and event.payload["from_state"] == RequestState.BOOKED:
        webhook = WebhookEvent.CASE_REDISPATCHED
    if webhook is not None:  # escalated: the case.escalated event says what was learned
        at = {"state": to_state, "sla_status": sla_status(case, now=event.occurred_at)}
        emit_case_event(case, webhook, **at)


def _not_fixed(case: Case, event: DomainEvent) -> None:
    """case.not_fixed: the helper checked out without a fix (case.escalated follows), with
    their note and the visit fee the program pays for the visit (settled at sign-off)."""
    payload = event.payload
    emit_case_event(
        case,
        WebhookEvent.CASE_NOT_FIXED,
        state=RequestState.IN_PROGRESS,
        sla_status=sla_status(case, now=event.occurred_at),
        note=payload.get("note") or "",
        visit_fee_minor=payload.get("visit_fee_minor") or 0,
        partner_share_minor=payload.get("partner_share_minor") or 0,
        currency=payload.get("currency") or case.program.currency,
    )


def _matched(case: Case, invited: int, wave: int) -> None:
    """case.matched: the first wave that invited anyone (later waves are not reported)."""
    if not invited:
        return
    if WebhookMessage.objects.filter(case=case, event_type=WebhookEvent.CASE_MATCHED).exists():
        return
    emit_case_event(case, WebhookEvent.CASE_MATCHED, invited=invited, wave=wave)


@handles("dispatch.deadline_escalated", name="partners.sla_escalation")
def on_dispatch_deadline_escalated(event: DomainEvent) -> None:
    """The first-offer SLA passed without an acceptance: hand the case to the partner."""
    from .escalation import ESCALATABLE, case_escalate

    case = _case_for_request(event.payload["request_id"])
    if case is None or case.escalated_at is not None or case.request.state not in ESCALATABLE:
        return
    note = str(event.payload.get("note") or "The SLA deadline for a first offer passed.")
    case_escalate(case_id=case.pk, reason=EscalationReason.SLA, actor=None, note=note)


@handles("booking.not_fixed", name="partners.not_fixed_escalation")
def on_booking_not_fixed(event: DomainEvent) -> None:
    """The helper checked out without a fix: the case goes to the partner's technicians,
    with the helper's note, as when a helper escalates (the booking keeps its visit fee)."""
    from .escalation import ESCALATABLE, case_escalate

    case = _case_for_request(event.payload["request_id"])
    if case is None or case.escalated_at is not None or case.request.state not in ESCALATABLE:
        return
    note = str(event.payload.get("note") or "The helper could not fix it on the visit.")
    case_escalate(case_id=case.pk, reason=EscalationReason.HELPER, actor=None, note=note)
