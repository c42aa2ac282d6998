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
from quartier.money import Money

from .facts import job_facts
from .services import job_settled_book


def event_key(event: Any) -> str:
    return f"event:{event.pk}"


@handles("job.settled", name="payments.settle")
def on_job_settled(event: Any) -> None:
    """Book the settled job: what the helper owes in commission (+ VAT), and the gross."""
    payload = event.payload
    job_settled_book(
        event_key=event_key(event),
        facts=job_facts(payload),
        price=Money(int(payload["price_minor"]), str(payload["currency"])),
        booked_at=datetime.fromisoformat(payload["settled_at"]),
    )
