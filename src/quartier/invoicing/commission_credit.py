"""Credit notes for commission: a refund of a job whose commission was invoiced already.

Why a credit note, not a deduction on the next month's invoice: a helper books Quartier's
commission invoice as an expense (a Swiss helper registered for VAT also deducts its input
VAT), so a refund must correct *that* invoice — by a document that names it, with the VAT
taken back at the invoice's own rate — as soon as it happens. A deduction would wait for a
month with new jobs (there may be none), could make that invoice negative, and would mix two
periods' VAT. The credit note is issued by Quartier in its own name (series `Q`), with the
original's parties, template and wording; it is set off against the next payout or
commission like the invoice it corrects (the ledger took the commission back already).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .commission_items import Pending, refund_cut
from .models import CommissionItem, Invoice, InvoiceKind
from .numbering import QUARTIER_SERIES
from .services import invoice_store
from .wording import day, money, say


@dataclass(frozen=True, slots=True)
class Taken:
    event_id: int
    booking_id: int
    kind: str
    commission_minor: int
    vat_minor: int


def items_take(invoice: Invoice, taken: list[Taken]) -> None:
    """Record what the invoice took (a concurrent run taking one of them fails whole)."""
    CommissionItem.objects.bulk_create(
        CommissionItem(
            event_id=item.event_id,
            invoice=invoice,
            booking_id=item.booking_id,
            kind=item.kind,
            commission_minor=item.commission_minor,
            vat_minor=item.vat_minor,
        )
        for item in taken
    )


def refund_label(item: Pending, refund: int, lang: str, currency: str) -> str:
    return say(
        lang,
        "commission_refund_line",
        booking=f"#{item.booking_id}",
        date=day(timezone.localdate(item.moment), lang),
        price=money(refund, currency, lang),
    )


def commission_credit_issue(
    original_id: int, refunds: list[Pending], period: str
) -> Invoice | None:
    """One credit note correcting the commission invoice `original_id` by the refunds of its
    jobs (None when they take nothing, e.g. a refund of what was refunded in full)."""
    original = Invoice.objects.get(pk=original_id)
    lines, taken = _credit_lines(original, refunds)
    if not taken:
        return None

    def build(number: str, today: date) -> dict[str, Any]:
        return _credit_snapshot(original, lines, taken, number, today)

    credit = invoice_store(
        kind=InvoiceKind.CREDIT_NOTE,
        series=QUARTIER_SERIES,
        source_key=f"commission-credit:{taken[0].event_id}",
        build=build,
        helper_id=original.helper_id,
        period=period,
        original=original,
    )
    items_take(credit, taken)
    return credit


def _credit_lines(
    original: Invoice, refunds: list[Pending]
) -> tuple[list[dict[str, Any]], list[Taken]]:
    source: dict[str, Any] = original.snapshot
    lang, currency = source["language"], source["currency"]
    charged = {
        item.booking_id: (item.commission_minor, item.vat_minor)
        for item in original.items.filter(kind__in=["job", "fee"])
    }
    lines: list[dict[str, Any]] = []
    taken: list[Taken] = []
    for refund in refunds:
        amount, commission, vat = refund_cut(refund, *charged.get(refund.booking_id, (0, 0)))
        if not commission and not vat:
            continue
        taken.append(Taken(refund.event_id, refund.booking_id, "refund", -commission, -vat))
        lines.append(
            {
                "kind": "refund",
                "label": refund_label(refund, amount, lang, currency),
                "quantity": "1",
                "unit_minor": -commission,
                "total_minor": -commission,
                "vat_rate": source["lines"][0]["vat_rate"] if source["lines"] else "0",
            }
        )
    return lines, taken


def _credit_snapshot(
    original: Invoice, lines: list[dict[str, Any]], taken: list[Taken], number: str, today: date
) -> dict[str, Any]:
    source: dict[str, Any] = original.snapshot
    lang = source["language"]
    net = sum(int(line["total_minor"]) for line in lines)
    vat_total = sum(item.vat_minor for item in taken)
    rate = Decimal(source["vat"][0]["rate"]) if source.get("vat") else Decimal(0)
    vat_rows = [
        {
            "rate": source["vat"][0]["rate"],
            "net_minor": net,
            "vat_minor": vat_total,
            "gross_minor": net + vat_total,
        }
    ]
    return source | {
        "kind": "credit_note",
        "title": say(lang, "credit_note"),
        "heading": say(lang, "commission_credit_heading", period=source["period"]),
        "corrects": say(
            lang,
            "corrects",
            number=original.number,
            date=day(date.fromisoformat(source["issued_on"]), lang),
        ),
        "number": number,
        "issued_on": today.isoformat(),
        "lines": lines,
        "vat": vat_rows if rate else [],
        "net_minor": net,
        "total_minor": net + vat_total,
        "payment": {
            "method": "commission",
            "due_minor": 0,
            "qr": None,
            "texts": [say(lang, "commission_credit_due")],
        },
    }
