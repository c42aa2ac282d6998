"""Money as people in each market write it, from integer minor units (never floats).

English: CHF 1,234.50 and €1,234.50. German (Germany): 1.234,50 € and 1.234,50 CHF.
Swiss German: CHF 1'234.50 and EUR 1'234.50, grouped with a typographic apostrophe (U+2019).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

NBSP = "\u00a0"
APOSTROPHE = "\u2019"
SYMBOLS = {"EUR": "€", "CHF": "CHF"}


def _digits(amount_minor: int, *, group: str, decimal: str) -> str:
    major, minor = divmod(abs(amount_minor), 100)
    grouped = f"{major:,}".replace(",", group)
    return f"{'-' if amount_minor < 0 else ''}{grouped}{decimal}{minor:02d}"


def format_money(amount_minor: int, currency: str, language: str | None = None) -> str:
    language = (language or get_language() or "en").lower()
    if language == "de-ch":
        return f"{currency}{NBSP}{_digits(amount_minor, group=APOSTROPHE, decimal='.')}"
    if language.startswith("de"):
        symbol = SYMBOLS.get(currency, currency)
        return f"{_digits(amount_minor, group='.', decimal=',')}{NBSP}{symbol}"
    if currency == "EUR":
        return f"€{_digits(amount_minor, group=',', decimal='.')}"
    return f"{currency}{NBSP}{_digits(amount_minor, group=',', decimal='.')}"


def to_minor(amount: Decimal) -> int:
    """A decimal amount of francs or euros as whole Rappen / Cent (rounded half up)."""
    return int((amount * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def to_major(amount_minor: int) -> Decimal:
    return (Decimal(amount_minor) / 100).quantize(Decimal("0.01"))
