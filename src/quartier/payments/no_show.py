"""A helper's no-show, upheld by an operator: Quartier credits the customer a compensation.

bookings/no_show.py decides it and records `booking.no_show_decided` with
`compensation_minor`. Quartier pays it out of its own revenue: commission revenue is debited
and the customer's account credited (a negative receivable: Quartier owes the customer, to be
paid out or set off against what they pay next). The helper's accounts are not touched. A
customer's no-show needs nothing here: its fee comes on `booking.cancelled` like a late
cancellation's (cancellation_fees.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quartier.events import handles
from quartier.money import Money

from . import chart
from .facts import BadSettlement
from .flows import booking_subject
from .handlers import event_key
from .models import LedgerTransaction
from .services import ledger_post

NO_SHOW_COMPENSATION = "booking.no_show_compensation"


def no_show_compensation_book(
    *, event_key: str, payload: dict[str, Any], booked_at: datetime
) -> LedgerTransaction | None:
    """commission revenue +X (debit), customer receivable -X (credit); nothing for 0."""
    amount = payload.get("compensation_minor") or 0
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise BadSettlement(f"compensation_minor must be whole minor units, not {amount!r}.")
    customer_id = payload.get("customer_id")
    if not amount or not customer_id:
        return None
    money = Money(amount, str(payload["currency"]))
    booking_id = int(payload["booking_id"])
    return ledger_post(
        event_key=event_key,
        kind=NO_SHOW_COMPENSATION,
        booked_at=booked_at,
        memo=f"Booking #{booking_id}, helper's no-show: compensation of {money.amount} "
        f"{money.currency} to the customer",
        subject=booking_subject(booking_id),
        lines=[
            (chart.commission_revenue(money.currency), money),
            (chart.customer_receivable(int(customer_id), money.currency), -money),
        ],
    )


@handles("booking.no_show_decided", name="payments.no_show_compensation")
def on_no_show_decided(event: Any) -> None:
    when = event.payload.get("decided_at")
    no_show_compensation_book(
        event_key=event_key(event),
        payload=event.payload,
        booked_at=datetime.fromisoformat(when) if when else event.occurred_at,
    )
