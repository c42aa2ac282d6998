"""Amounts on an invoice: lines from the settled job, VAT backed out of gross prices.

Prices in Quartier are gross (what the customer pays, VAT included when the helper charges
VAT). Per rate, the VAT is `gross * rate / (100 + rate)` rounded half up to the minor unit,
and the net amount is the rest — so net + VAT always equals the gross printed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

STANDARD_RATE = {"CH": "8.1", "DE": "19"}
ELIGIBLE_35A = ("labour", "travel", "consumables")


def rate_text(rate: Decimal | str) -> str:
    """`8.1`, `19`, `7` — as printed beside "%"."""
    value = Decimal(str(rate)).normalize()
    return f"{value:f}"


def job_lines(payload: dict[str, Any], *, vat_rate: str | None) -> list[dict[str, Any]]:
    """The job's lines from a `job.settled` payload (v1: one labour line at the price).

    `vat_rate` None keeps each line's own rate; otherwise every line gets that rate (a
    helper who charges no VAT: "0"; a registered helper on an old event: the standard rate).
    """
    lines = payload.get("lines") or [
        {
            "kind": "labour",
            "label": "",
            "quantity": "1",
            "unit_minor": int(payload["price_minor"]),
            "vat_rate": "0",
            "total_minor": int(payload["price_minor"]),
        }
    ]
    out = []
    for line in lines:
        rate = vat_rate if vat_rate is not None else str(line.get("vat_rate") or "0")
        out.append(
            {
                "kind": str(line.get("kind") or "labour"),
                "label": str(line.get("label") or ""),
                "quantity": str(line.get("quantity") or "1"),
                "unit_minor": int(line.get("unit_minor") or line["total_minor"]),
                "total_minor": int(line["total_minor"]),
                "vat_rate": rate_text(rate),
            }
        )
    return out


def vat_breakdown(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per VAT rate: gross, net and VAT, in the order the rates first appear."""
    gross_by_rate: dict[str, int] = {}
    for line in lines:
        rate = line["vat_rate"]
        gross_by_rate[rate] = gross_by_rate.get(rate, 0) + int(line["total_minor"])
    rows = []
    for rate, gross in gross_by_rate.items():
        vat = vat_in_gross(gross, Decimal(rate))
        rows.append(
            {"rate": rate, "gross_minor": gross, "net_minor": gross - vat, "vat_minor": vat}
        )
    return rows


def vat_in_gross(gross_minor: int, rate: Decimal) -> int:
    if not rate:
        return 0
    exact = Decimal(gross_minor) * rate / (Decimal(100) + rate)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share(amount_minor: int, part_minor: int, whole_minor: int) -> int:
    """`amount * part / whole`, rounded down (never more than the customer's share)."""
    if whole_minor <= 0:
        return 0
    return amount_minor * part_minor // whole_minor


def sums_35a(lines: list[dict[str, Any]]) -> dict[str, int]:
    sums = dict.fromkeys((*ELIGIBLE_35A, "material"), 0)
    for line in lines:
        kind = line["kind"] if line["kind"] in sums else "labour"
        sums[kind] += int(line["total_minor"])
    return sums
