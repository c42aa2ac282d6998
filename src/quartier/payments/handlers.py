"""The ledger's handlers of stored domain events (run by the worker after commit).

Each runs in the database transaction that writes its `HandledEvent` mark, so an event is
booked exactly once: a failure rolls back both, and the event is retried on the next run.
The transaction's `event_key` (`event:<id>`) is unique as well, so even a handler that is
renamed — and therefore sees every event again — books nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quartier.events import handles

from .facts import settled_job
from .flows import job_refund_book, job_settled_book


def event_key(event: Any) -> str:
    return f"event:{event.pk}"


@handles("job.settled", name="payments.settle")
def on_job_settled(event: Any) -> None:
    """Book the settled job: commission (+ VAT) the helper owes, the gross, the tip and the
    partner's share."""
    job_settled_book(event_key=event_key(event), job=settled_job(event.payload))


@handles("dispute.resolved", "booking.withdrawn", name="payments.refund")
def on_dispute_resolved(event: Any) -> None:
    """A decision with a refund — or a consumer's withdrawal after an early start, which
    keeps only the value of the work done — lowers the job's price, its commission and
    partner share."""
    payload = event.payload
    refund = payload.get("refund_minor") or 0
    if not isinstance(refund, int) or isinstance(refund, bool) or refund <= 0:
        return  # no refund (or none the ledger can read): nothing to book
    when = payload.get("resolved_at") or payload.get("withdrawn_at")
    job_refund_book(
        event_key=event_key(event),
        booking_id=int(payload["booking_id"]),
        refund_minor=refund,
        booked_at=datetime.fromisoformat(when) if when else event.occurred_at,
    )
