"""An offer's price as lines: labour, travel, consumables, material, each with its VAT rate.

The total is always the sum of the lines. An offer made without lines (older API clients, a
partner's fixed-price job) gets one labour line of its price at VAT 0. With hourly pricing
the helper's rate times the estimated hours is the labour line; other lines come on top.
Every rule broken is reported per field (`lines.2.quantity`), all at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from quartier.errors import InvalidInput
from quartier.money import Money

from .models import LineKind, Pricing

MAX_PRICE_MINOR = 10_000_000  # 100,000.00 CHF/EUR: beyond that it is a typo, not a job.
MAX_LINES = 20
MAX_QUANTITY = Decimal(10_000)
QUANTITY_PLACES = 3

#: The VAT rates a line may carry, per currency: Switzerland's (0, reduced 2.6, lodging 3.8,
#: standard 8.1 since 2024) and Germany's (0, reduced 7, standard 19).
VAT_RATES: dict[str, frozenset[Decimal]] = {
    "CHF": frozenset(Decimal(r) for r in ("0", "2.6", "3.8", "8.1")),
    "EUR": frozenset(Decimal(r) for r in ("0", "7", "19")),
}


@dataclass(frozen=True, slots=True)
class Line:
    """A checked price line; `total_minor` = quantity x unit price, rounded half up once."""

    kind: str
    label: str
    quantity: Decimal
    unit_minor: int
    vat_rate: Decimal
    total_minor: int

    def as_payload(self) -> dict[str, object]:
        """The line as events carry it (decimals as strings: '1.5', '8.1')."""
        return {
            "kind": self.kind,
            "label": self.label,
            "quantity": _plain(self.quantity),
            "unit_minor": self.unit_minor,
            "vat_rate": _plain(self.vat_rate),
            "total_minor": self.total_minor,
        }


def _plain(value: Decimal) -> str:
    """'1.500' -> '1.5', '8.10' -> '8.1', '2.000' -> '2' (never '2E+1')."""
    text = format(value.normalize(), "f")
    return text


class _Errors:
    """Field errors gathered across all lines, raised together."""

    def __init__(self) -> None:
        self.messages: dict[str, list[str]] = {}
        self.codes: dict[str, str] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.messages.setdefault(field, []).append(message)
        self.codes.setdefault(field, code)

    def raise_any(self) -> None:
        if self.messages:
            first = next(iter(self.messages.values()))[0]
            code = next(iter(self.codes.values())) if len(self.codes) == 1 else "invalid"
            raise InvalidInput(first, code=code, errors=self.messages, field_codes=self.codes)


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool | float):
        value = str(value)
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


#: Where a generated line's faults are reported: the fields it was made of.
HOURLY_FIELDS = {"quantity": "estimated_hours", "unit_minor": "hourly_rate_minor"}
FIXED_FIELDS = {"unit_minor": "price_minor"}
OWN_FIELDS: dict[str, str] = {}


def _line(
    raw: Mapping[str, Any],
    where: str,
    currency: str,
    errors: _Errors,
    fields: Mapping[str, str] = OWN_FIELDS,
) -> Line | None:
    """Check one line; report what is wrong under `where`.<field>, or the input field a
    generated line came from (`fields`; its VAT rate is the offer's `vat_rate`)."""

    def at(name: str) -> str:
        if fields is not OWN_FIELDS:
            return fields.get(name, name)
        return f"{where}.{name}"

    failed = False
    kind = str(raw.get("kind") or "")
    if kind not in LineKind.values:
        errors.add(at("kind"), f"Kind must be one of {LineKind.values}.", "unknown_line_kind")
        failed = True
    label = str(raw.get("label") or "").strip()
    if not label or len(label) > 120:
        errors.add(at("label"), "Name the line (at most 120 characters).", "line_label")
        failed = True
    quantity = _decimal(raw.get("quantity", 1))
    if quantity is None or not 0 < quantity <= MAX_QUANTITY or quantity != round(quantity, 3):
        errors.add(
            at("quantity"),
            "The quantity must be positive, at most 10,000, with at most 3 decimals.",
            "line_quantity",
        )
        failed = True
    unit = raw.get("unit_minor")
    if isinstance(unit, bool) or not isinstance(unit, int) or not 0 <= unit <= MAX_PRICE_MINOR:
        errors.add(
            at("unit_minor"),
            "The unit price must be a whole number of minor units, 0 or more.",
            "line_unit_price",
        )
        failed = True
    vat_rate = _decimal(raw.get("vat_rate", 0))
    if vat_rate is None or vat_rate not in VAT_RATES[currency]:
        allowed = ", ".join(_plain(r) for r in sorted(VAT_RATES[currency]))
        errors.add(
            at("vat_rate"),
            f"The VAT rate for {currency} must be one of {allowed} (percent).",
            "vat_rate_not_allowed",
        )
        failed = True
    if failed:
        return None
    assert quantity is not None
    assert vat_rate is not None
    assert isinstance(unit, int)
    total = Money(unit, currency).times(quantity).minor
    return Line(kind, label, quantity, unit, vat_rate, total)


def price_lines_check(
    *,
    currency: str,
    title: str,
    lines: Sequence[Mapping[str, Any]] | None,
    price_minor: int | None,
    pricing: str = Pricing.FIXED,
    hourly_rate_minor: int | None = None,
    estimated_hours: Decimal | None = None,
    vat_rate: Decimal | str | int = 0,
) -> list[Line]:
    """The offer's checked lines (see the module's docstring); InvalidInput names each
    field at fault. `price_minor`, when given beside lines, must equal their sum."""
    errors = _Errors()
    if pricing not in Pricing.values:
        errors.add("pricing", f"Pricing must be one of {Pricing.values}.", "unknown_pricing")
        errors.raise_any()
    drafts: list[tuple[str, Mapping[str, Any], Mapping[str, str]]] = []
    if pricing == Pricing.HOURLY:
        if hourly_rate_minor is None or estimated_hours is None:
            for field, value in (
                ("hourly_rate_minor", hourly_rate_minor),
                ("estimated_hours", estimated_hours),
            ):
                if value is None:
                    errors.add(
                        field, "Hourly pricing needs the rate and the hours.", "hourly_terms"
                    )
        else:
            hourly: dict[str, object] = {"kind": LineKind.LABOUR, "label": title[:120] or "Work"}
            hourly |= {"quantity": estimated_hours, "unit_minor": hourly_rate_minor}
            drafts.append(("", hourly | {"vat_rate": vat_rate}, HOURLY_FIELDS))
    given = list(lines or [])
    if len(given) > MAX_LINES:
        errors.add("lines", f"At most {MAX_LINES} lines.", "too_many_lines")
    drafts += [(f"lines.{i}", raw, OWN_FIELDS) for i, raw in enumerate(given[:MAX_LINES])]
    if not drafts and pricing == Pricing.FIXED:
        if price_minor is None:
            errors.add("price_minor", "Give a price or price lines.", "price_missing")
        elif not 0 < price_minor <= MAX_PRICE_MINOR:
            errors.add(
                "price_minor",
                "The price must be positive and at most 100,000.",
                "price_out_of_range",
            )
        else:
            fixed: dict[str, object] = {"kind": LineKind.LABOUR, "label": title[:120] or "Work"}
            fixed |= {"unit_minor": price_minor, "vat_rate": vat_rate}
            drafts.append(("", fixed, FIXED_FIELDS))
    if pricing == Pricing.HOURLY and any(raw.get("kind") == LineKind.LABOUR for raw in given):
        errors.add(
            "lines",
            "With hourly pricing the labour line comes from the rate and the hours.",
            "labour_line_twice",
        )
    checked = [_line(raw, where, currency, errors, fields) for where, raw, fields in drafts]
    errors.raise_any()
    result = [line for line in checked if line is not None]
    _check_total(result, price_minor, given_lines=bool(given) or pricing == Pricing.HOURLY)
    return result


def _check_total(lines: list[Line], price_minor: int | None, *, given_lines: bool) -> None:
    errors = _Errors()
    total = sum(line.total_minor for line in lines)
    if not 0 < total <= MAX_PRICE_MINOR:
        field = "lines" if given_lines else "price_minor"
        errors.add(field, "The price must be positive and at most 100,000.", "price_out_of_range")
    elif given_lines and price_minor is not None and price_minor != total:
        errors.add(
            "price_minor",
            f"The price must be the sum of the lines ({total} minor units), or left out.",
            "price_not_sum_of_lines",
        )
    errors.raise_any()


def line_of(row: Any) -> Line:
    """A stored `PriceLine` row as a `Line`."""
    return Line(
        kind=row.kind,
        label=row.label,
        quantity=row.quantity,
        unit_minor=row.unit_minor,
        vat_rate=row.vat_rate,
        total_minor=row.total_minor,
    )


#: A line on its own (a change during the visit) reports faults under its own field names.
BARE_FIELDS = {"kind": "kind"}


def line_check(raw: Mapping[str, Any], *, currency: str) -> Line:
    """One price line checked as an offer's are; InvalidInput names each field at fault
    (`kind`, `label`, `quantity`, `unit_minor`, `vat_rate`)."""
    errors = _Errors()
    line = _line(raw, "", currency, errors, BARE_FIELDS)
    errors.raise_any()
    assert line is not None
    return line
