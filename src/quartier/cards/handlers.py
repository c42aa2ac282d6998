"""Cards' handlers of stored domain events: charge at settlement, refund after a dispute.

Each runs in the transaction that marks its event handled; the provider calls carry
idempotency keys from Quartier's ids, so a handler retried after a failure never charges or
refunds twice.
"""

from __future__ import annotations

from typing import Any

from quartier.events import handles

from .charging import refund_after_dispute, settlement_charge


@handles("job.settled", name="cards.charge")
def on_job_settled(event: Any) -> None:
    """A job paid by card or TWINT is charged now, on the helper's connected account."""
    settlement_charge(dict(event.payload))


@handles("dispute.resolved", name="cards.refund")
def on_dispute_resolved(event: Any) -> None:
    """An operator's refund goes back to the customer's card through the provider."""
    refund = event.payload.get("refund_minor") or 0
    if isinstance(refund, int) and not isinstance(refund, bool) and refund > 0:
        refund_after_dispute(
            booking_id=int(event.payload["booking_id"]),
            refund_minor=refund,
            key=f"event-{event.pk}",
        )
