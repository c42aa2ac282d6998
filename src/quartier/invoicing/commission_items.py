"""What a commission run takes: every stored event that changes what a helper owes Quartier
in commission and that no commission invoice or credit note has taken yet.

- a settled job (`job.settled`) and a late cancellation's fee (`booking.cancelled` with a
  fee) settled before the month's end — also one settled in an earlier month whose invoice
  was issued before its event arrived: it goes on the next run's invoice;
- a refund after a dispute (`dispute.resolved` with a refund) of such a job: on the same
  invoice as its job when both are new (a negative line), else on a credit note that
  corrects the invoice which charged the job. A refund of a job no run has taken yet waits
  for it.

Each event is taken once (`CommissionItem.event_id` is unique). A refund's commission and VAT
are cut from the job's as the ledger cuts them (`payments.flows.part_left`), so invoices and
the ledger agree to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from quartier.events.models import DomainEvent
from quartier.payments.flows import part_left

from .models import CommissionItem

KINDS = {"job.settled": "job", "booking.cancelled": "fee", "dispute.resolved": "refund"}
AMOUNT = {"job": "price_minor", "fee": "fee_minor", "refund": "refund_minor"}
MOMENT = {"job": "settled_at", "fee": "cancelled_at", "refund": "resolved_at"}


@dataclass(frozen=True, slots=True)
class Pending:
    kind: str  # job, fee, refund
    event_id: int
    booking_id: int
    moment: datetime
    amount_minor: int  # the price, the fee, or the refund asked
    payload: dict[str, Any]  # of the event (a refund: of its job's `job.settled`)


@dataclass(slots=True)
class Run:
    """{(helper, currency): new jobs, fees and their refunds} and {invoice id: refunds of
    jobs it charged}."""

    invoices: dict[tuple[int, str], list[Pending]] = field(
        default_factory=lambda: defaultdict(list)
    )
    credits: dict[int, list[Pending]] = field(default_factory=lambda: defaultdict(list))


def _amount(payload: dict[str, Any], kind: str) -> int:
    value = payload.get(AMOUNT[kind]) or 0
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _moment(event: DomainEvent, kind: str) -> datetime:
    text = event.payload.get(MOMENT[kind])
    return datetime.fromisoformat(str(text)) if text else event.occurred_at


def _job_event(booking_id: int) -> DomainEvent | None:
    found: DomainEvent | None = (
        DomainEvent.objects.filter(kind="job.settled", payload__booking_id=booking_id)
        .order_by("id")
        .first()
    )
    return found


def pending_run(end: datetime) -> Run:
    """Everything not yet taken that happened before `end`."""
    taken = CommissionItem.objects.values("event_id")
    events = (
        DomainEvent.objects.filter(kind__in=KINDS, occurred_at__lt=end + timedelta(days=2))
        .exclude(pk__in=taken)
        .order_by("id")
    )
    run, refunds, new_jobs = Run(), [], {}
    for event in events.iterator():
        kind = KINDS[event.kind]
        amount, moment = _amount(event.payload, kind), _moment(event, kind)
        if not amount or moment >= end:
            continue
        booking = int(event.payload["booking_id"])
        if kind == "refund":
            refunds.append((event, booking, amount, moment))
            continue
        payload = dict(event.payload)
        key = (int(payload["helper_id"]), str(payload["currency"]))
        run.invoices[key].append(Pending(kind, event.pk, booking, moment, amount, payload))
        if kind == "job":
            new_jobs[booking] = key
    for event, booking, amount, moment in refunds:
        job = _job_event(booking)
        if job is None:
            continue  # never settled: nothing was charged
        refund = Pending("refund", event.pk, booking, moment, amount, dict(job.payload))
        if booking in new_jobs:
            run.invoices[new_jobs[booking]].append(refund)
            continue
        charged = CommissionItem.objects.filter(event_id=job.pk).first()
        if charged is not None:
            run.credits[charged.invoice_id].append(refund)
    return run


def refund_cut(refund: Pending, commission: int, vat: int) -> tuple[int, int, int]:
    """(refund, commission, VAT) a refund takes from its job, as the ledger books it: capped
    at what earlier refunds left of the price, parts cut in proportion."""
    price = int(refund.payload["price_minor"])
    earlier = DomainEvent.objects.filter(
        kind="dispute.resolved", payload__booking_id=refund.booking_id, pk__lt=refund.event_id
    ).order_by("id")
    before = price
    for event in earlier:
        before -= min(_amount(event.payload, "refund"), before)
    taken = min(refund.amount_minor, before)
    after = before - taken

    def cut(part: int) -> int:
        return part_left(part, price, before) - part_left(part, price, after) if price else 0

    return taken, cut(commission), cut(vat)
