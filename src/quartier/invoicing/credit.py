"""The snapshot of a credit note: it corrects one invoice, in the same issuer's name.

A refund after a decided dispute, or after a consumer's withdrawal that follows an early
start (the value of the work done is kept, § 357a BGB), reduces the job's price; the
credit note lowers the original's consideration by the refund, spread over its VAT rates
in proportion to their gross amounts (the last rate takes the rounding), with the same
template and wording rules.
The refund is borne by the customer's and the partner's shares in proportion.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import amounts, rules
from .models import Invoice
from .wording import day, money, say


def credit_note(
    original: Invoice,
    *,
    refund_minor: int,
    number: str,
    today: date,
    line_key: str = "refund_line",
) -> dict[str, Any]:
    """`line_key` words the lines: a decided complaint, or a consumer's withdrawal."""
    source: dict[str, Any] = original.snapshot
    lang, template = source["language"], source["template"]
    lines = _credit_lines(source, refund_minor, lang, line_key)
    helper = source["issuer"]["name"]
    snapshot = {
        key: source[key] for key in ("issuer", "recipient", "language", "currency", "template")
    } | {
        "kind": "credit_note",
        "title": say(lang, "credit_note"),
        "heading": say(lang, "credit_heading", helper=helper),
        "agent_note": source["agent_note"],
        "corrects": say(
            lang,
            "corrects",
            number=original.number,
            date=day(date.fromisoformat(source["issued_on"]), lang),
        ),
        "number": number,
        "issued_on": today.isoformat(),
        "supplied_on": source["supplied_on"],
        "lines": lines,
        "vat": amounts.vat_breakdown(lines) if rules.shows_vat(template) else [],
        "total_minor": -refund_minor,
        "notes": source["notes"],
        "block_35a": None,
        "gaps": [],
        "payment": _refund(source, refund_minor, original.total_minor),
    }
    return snapshot


def _credit_lines(
    source: dict[str, Any], refund: int, lang: str, line_key: str
) -> list[dict[str, Any]]:
    gross_by_rate: dict[str, int] = {}
    for line in source["lines"]:
        gross_by_rate[line["vat_rate"]] = (
            gross_by_rate.get(line["vat_rate"], 0) + line["total_minor"]
        )
    whole = sum(gross_by_rate.values())
    lines, left = [], refund
    for index, (rate, gross) in enumerate(gross_by_rate.items()):
        part = left if index == len(gross_by_rate) - 1 else amounts.share(refund, gross, whole)
        left -= part
        lines.append(
            {
                "kind": "refund",
                "label": say(lang, line_key),
                "quantity": "1",
                "unit_minor": -part,
                "total_minor": -part,
                "vat_rate": rate,
            }
        )
    return lines


def _refund(source: dict[str, Any], refund: int, total: int) -> dict[str, Any]:
    lang, currency = source["language"], source["currency"]
    paid = source["payment"]
    customer_paid = paid["due_minor"] if paid["method"] == "transfer" else 0
    if paid["method"] in ("cash", "card", "twint"):  # paid in full at the job's end
        customer_paid = total - _partner_paid(source)
    customer_part = amounts.share(refund, customer_paid, total)
    texts = [say(lang, "refund", amount=money(customer_part, currency, lang))]
    if refund - customer_part:
        partner = _partner_label(source)
        texts.append(
            say(
                lang,
                "refund_partner",
                partner=partner,
                amount=money(refund - customer_part, currency, lang),
            )
        )
    return {
        "method": paid["method"],
        "due_minor": 0,
        "texts": texts,
        "qr": None,
        "customer_refund_minor": customer_part,
    }


def _partner_paid(source: dict[str, Any]) -> int:
    return int(source["payment"].get("partner_share_minor") or 0)


def _partner_label(source: dict[str, Any]) -> str:
    return str(source["payment"].get("partner_name") or "Partner")
