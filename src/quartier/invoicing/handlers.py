"""Invoicing's handlers of stored domain events (run by the worker after commit, each in the
transaction that marks the event handled — so an event issues at most one document; the
invoice's unique `source_key` makes that hold even for a renamed handler)."""

from __future__ import annotations

from typing import Any

from quartier.events import handles

from .services import credit_note_issue, customer_invoice_issue


@handles("booking.cancelled", name="invoicing.cancellation_fee")
def on_booking_cancelled(event: Any) -> None:
    """A late cancellation's fee is invoiced in the helper's name like a settled job: the
    customer owes it to the helper (by transfer, against this invoice); free cancellations
    and withdrawals get none."""
    payload = event.payload
    fee = payload.get("fee_minor") or 0
    if isinstance(fee, bool) or not isinstance(fee, int) or fee <= 0:
        return
    job = {
        key: payload.get(key)
        for key in ("booking_id", "request_id", "helper_id", "customer_id", "currency")
    } | {
        "settled_at": payload.get("cancelled_at") or event.occurred_at.isoformat(),
        "price_minor": fee,
        "tip_minor": 0,
        "method": "transfer",
        "partner_id": None,
        "partner_share_minor": 0,
        "lines": [],  # one line at the helper's standard rate (none when not registered)
        "skill_flags": [],  # a fee is no household service: no § 35a block
    }
    customer_invoice_issue(
        source_key=f"event:{event.pk}", payload=job, label_key="cancellation_fee"
    )


@handles("job.settled", name="invoicing.issue")
def on_job_settled(event: Any) -> None:
    """The customer invoice in the helper's name (or the reason none is issued)."""
    customer_invoice_issue(source_key=f"event:{event.pk}", payload=dict(event.payload))


@handles("dispute.resolved", name="invoicing.credit")
def on_dispute_resolved(event: Any) -> None:
    """A refund after a dispute: a credit note that corrects the booking's invoice."""
    refund = int(event.payload.get("refund_minor") or 0)
    if refund > 0:
        credit_note_issue(
            source_key=f"event:{event.pk}",
            booking_id=int(event.payload["booking_id"]),
            refund_minor=refund,
        )


@handles("booking.withdrawn", name="invoicing.withdrawal_credit")
def on_booking_withdrawn(event: Any) -> None:
    """A withdrawal after an early start: the job was settled at its price and a credit
    note takes off all but the value of the work done (§ 357a BGB)."""
    refund = int(event.payload.get("refund_minor") or 0)
    if refund > 0:
        credit_note_issue(
            source_key=f"event:{event.pk}",
            booking_id=int(event.payload["booking_id"]),
            refund_minor=refund,
            line_key="withdrawal_line",
        )
