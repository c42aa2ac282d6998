"""Invoicing's handlers of stored domain events (run by the worker after commit, each in the
transaction that marks the event handled — so an event issues at most one document; the
invoice's unique `source_key` makes that hold even for a renamed handler)."""

from __future__ import annotations

from typing import Any

from quartier.events import handles

from .services import credit_note_issue, customer_invoice_issue


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
