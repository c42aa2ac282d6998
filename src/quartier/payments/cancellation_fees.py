"""A late cancellation's fee, booked like a small settled job.

The customer owes the helper the fee (bookings/cancellation.py decides it and records it on
`booking.cancelled` as `fee_minor` and `currency`). As for any job, the customer pays the
helper directly (for a transfer job, against the helper's invoice) and the helper owes
Quartier the commission (+ VAT) on it; the fee's gross goes to the helper's jobs-gross memo
so statements count it. No tip, no partner share: a partner's share is never charged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quartier.events import handles
from quartier.money import Money

from . import chart
from .commission import job_charge
from .facts import BadSettlement, job_facts
from .flows import booking_subject
from .handlers import event_key
from .models import LedgerTransaction
from .services import Line, ledger_post

CANCELLATION_FEE = "booking.cancellation_fee"


def cancellation_fee_book(
    *, event_key: str, payload: dict[str, Any], booked_at: datetime
) -> LedgerTransaction | None:
    """helper receivable +(c+v), commission -c, VAT -v, memo:jobs-gross +F, helper
    jobs-gross -F; nothing for a cancellation without a fee."""
    fee_minor = payload.get("fee_minor") or 0
    if isinstance(fee_minor, bool) or not isinstance(fee_minor, int) or fee_minor < 0:
        raise BadSettlement(f"fee_minor must be a whole number of minor units, not {fee_minor!r}.")
    if not fee_minor:
        return None
    facts = job_facts(payload)
    fee = Money(fee_minor, str(payload["currency"]))
    currency, helper = fee.currency, facts.helper_id
    charge = job_charge(
        fee,
        market=facts.market,
        skill=facts.skill,
        category=facts.category,
        helper_country=facts.helper_country,
    )
    lines: list[Line] = [
        (chart.helper_receivable(helper, currency), charge.total),
        (chart.commission_revenue(currency), -charge.commission),
        (chart.vat_payable(facts.helper_country, currency), -charge.vat),
        (chart.jobs_gross_offset(currency), fee),
        (chart.helper_jobs_gross(helper, currency), -fee),
    ]
    return ledger_post(
        event_key=event_key,
        kind=CANCELLATION_FEE,
        booked_at=booked_at,
        memo=(
            f"Booking #{facts.booking_id}, late cancellation fee: {fee.amount} {currency}, "
            f"commission {charge.rate} ({facts.market}/{facts.skill or '-'}), "
            f"VAT {charge.vat_rate}%"
        ),
        subject=booking_subject(facts.booking_id),
        lines=lines,
    )


@handles("booking.cancelled", name="payments.cancellation_fee")
def on_booking_cancelled(event: Any) -> None:
    """Book a late cancellation's fee (free cancellations and withdrawals book nothing)."""
    payload = event.payload
    if not payload.get("fee_minor"):
        return
    when = payload.get("cancelled_at")
    cancellation_fee_book(
        event_key=event_key(event),
        payload=payload,
        booked_at=datetime.fromisoformat(when) if when else event.occurred_at,
    )
