"""Money: an amount in integer minor units (Rappen, Cent) plus its currency — never a float.

Kernel module: it imports nothing from the other quartier contexts (nor Django), so every
layer — pages, e-mails, the ledger, invoices — computes and writes amounts the same way.

Rounding rules, each one explicit:

- Decimal amounts become minor units rounded half up, i.e. half away from zero, as in
  commercial rounding: 12.345 → 12.35 and -12.345 → -12.35 (`Money.from_decimal`, `to_minor`).
- Products and percentages (`times`, `percent`) round to whole minor units, half up unless
  the caller names another `decimal` rounding mode (e.g. ROUND_DOWN for a fee in the
  customer's favour). The arithmetic before that one rounding is exact whatever the
  ambient `decimal` context says.
- Cash (`round_to_cash`): Swiss francs to 0.05 (5 Rappen), half up; euros unchanged.
- Splitting (`allocate`, `split`) never rounds: the parts always sum exactly to the total.

Formatting (`format_money`) takes the locale from the caller — the web layer passes the
active language, notifications the recipient's — and renders with Babel's CLDR data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction

from babel import Locale
from babel.numbers import format_currency, get_group_symbol

CURRENCIES = frozenset({"CHF", "EUR"})
# Both currencies have 100 minor units; a currency with another exponent needs a table here.
MINOR_PER_MAJOR = 100
# The smallest coin in use: 5 Rappen (the 1- and 2-Rappen coins are withdrawn), so Swiss
# cash payments — and by custom the totals of invoices that may be paid in cash — are
# rounded to 0.05. The euro has 1-cent coins and Germany, our euro market, has no cash
# rounding rule (the Dutch or Finnish 5-cent rounding is national, not the euro's), so
# euro amounts are paid to the cent.
CASH_STEP_MINOR = {"CHF": 5, "EUR": 1}

# Unbounded precision: sums, products and shifts of exact decimals stay exact, and the only
# rounding is the one each method asks for, whatever the ambient context says.
_EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
_UNIT = Decimal(1)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were added, subtracted or compared."""


def _whole_units(value: Decimal, rounding: str) -> int:
    if not value.is_finite():
        raise ValueError(f"Not an amount: {value}.")
    return int(value.quantize(_UNIT, rounding=rounding, context=_EXACT))


def _exact_decimal(value: Decimal | int, what: str) -> Decimal:
    # bool is an int, and floats are exactly what this module exists to keep out.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or an int, not {type(value).__name__}.")
    return Decimal(value)


def to_minor(amount: Decimal) -> int:
    """A decimal amount of francs or euros as whole Rappen / Cent, rounded half up."""
    return _whole_units(
        _exact_decimal(amount, "An amount").scaleb(2, context=_EXACT), ROUND_HALF_UP
    )


def to_major(amount_minor: int) -> Decimal:
    """Whole Rappen / Cent as a decimal amount with two places (for form fields, exports)."""
    return Decimal(amount_minor).scaleb(-2, context=_EXACT).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of `currency` in integer minor units (`Money(123450, "CHF")` is CHF 1'234.50).

    `+`, `-` and `<`/`<=`/`>`/`>=` work within one currency and raise `CurrencyMismatch`
    across currencies; `==` is simply False across currencies (so amounts can be hashed).
    """

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.minor) is not int:
            raise TypeError(
                f"Money holds integer minor units, not {type(self.minor).__name__} "
                "(use Money.from_decimal for a decimal amount)."
            )
        if self.currency not in CURRENCIES:
            raise ValueError(
                f"Unknown currency {self.currency!r}; expected one of {sorted(CURRENCIES)}."
            )

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, amount: Decimal, currency: str) -> Money:
        """`Decimal("12.345")` francs → 1235 Rappen (half up, i.e. away from zero)."""
        return cls(to_minor(amount), currency)

    @property
    def amount(self) -> Decimal:
        """The amount in major units with two places, e.g. Decimal("1234.50")."""
        return to_major(self.minor)

    # Arithmetic and comparison within one currency.

    def _same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot {operation} {self.currency} and {other.currency} amounts."
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "add")
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "subtract")
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.minor < other.minor

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.minor <= other.minor

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.minor > other.minor

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "compare")
        return self.minor >= other.minor

    # Multiplying and rounding.

    def times(self, quantity: Decimal | int, *, rounding: str = ROUND_HALF_UP) -> Money:
        """This amount times `quantity` (hours, pieces), rounded once to minor units."""
        exact = _EXACT.multiply(Decimal(self.minor), _exact_decimal(quantity, "A quantity"))
        return Money(_whole_units(exact, rounding), self.currency)

    def percent(self, rate: Decimal, *, rounding: str = ROUND_HALF_UP) -> Money:
        """`rate` percent of this amount (`Decimal("8.1")` is 8.1 %), rounded to minor units."""
        product = _EXACT.multiply(Decimal(self.minor), _exact_decimal(rate, "A rate"))
        return Money(_whole_units(product.scaleb(-2, context=_EXACT), rounding), self.currency)

    def round_to_cash(self) -> Money:
        """The amount as it is paid in coins: CHF to 0.05 half up (12.32 → 12.30,
        12.33 → 12.35; negatives mirror positives), EUR unchanged (see CASH_STEP_MINOR)."""
        step = CASH_STEP_MINOR[self.currency]
        steps, rest = divmod(abs(self.minor), step)
        if 2 * rest >= step:
            steps += 1
        return Money((-1 if self.minor < 0 else 1) * steps * step, self.currency)

    # Splitting without losing a Rappen.

    def allocate(self, weights: Sequence[Decimal | int]) -> list[Money]:
        """Parts in proportion to `weights` that always sum exactly to this amount.

        Largest-remainder method: every part gets its share rounded toward zero, then the
        minor units left over go one each to the parts with the largest remainders; on a tie
        the earlier part wins, so the result is deterministic (100 by [1, 1, 1] is
        34, 33, 33). A negative amount is split like its positive and negated. A zero weight
        always gets zero.
        """
        shares = [Fraction(_exact_decimal(weight, "A weight")) for weight in weights]
        if not shares:
            raise ValueError("Allocate to at least one part.")
        if any(share < 0 for share in shares):
            raise ValueError("Weights cannot be negative.")
        weight_sum = sum(shares)
        if weight_sum == 0:
            raise ValueError("At least one weight must be positive.")
        total = abs(self.minor)
        exact = [total * share / weight_sum for share in shares]
        parts = [math.floor(value) for value in exact]
        leftover = total - sum(parts)
        by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
        for index in by_remainder[:leftover]:
            parts[index] += 1
        sign = -1 if self.minor < 0 else 1
        return [Money(sign * part, self.currency) for part in parts]

    def split(self, parts: int) -> list[Money]:
        """`parts` equal shares that sum to this amount and differ by at most one minor unit;
        the first ones get the extra units."""
        if isinstance(parts, bool) or not isinstance(parts, int) or parts < 1:
            raise ValueError("Split into a whole number of parts, at least one.")
        return self.allocate([1] * parts)


# Formatting.

# The site's Django language codes (as `get_language()` returns them) → Babel locales.
# "en" is CLDR's default English, which writes €1,234.50: en_CH would group with
# apostrophes and put a space after €, which our English pages never did.
SITE_LOCALES = {"en": "en", "de": "de_DE", "de-de": "de_DE", "de-ch": "de_CH"}
NBSP = "\u00a0"
APOSTROPHE = "\u2019"
# Since CLDR 48 the Swiss grouping separator is the ASCII apostrophe (it was U+2019). We
# keep the typographic one: it is what pages and e-mails have always shown, invoices will
# follow, and it is never taken for a quote in CSV, HTML attributes or JavaScript.
_GROUP_SYMBOLS = {"'": APOSTROPHE}
# A letter and a digit side by side: "CHF1,234.50" (see _space_letter_symbols).
_LETTER_THEN_DIGIT = re.compile(r"([^\W\d_])(\d)")
_DIGIT_THEN_LETTER = re.compile(r"(\d)([^\W\d_])")
_INTEGER_DIGITS = re.compile(r"\d+")


def _babel_locale(locale: str) -> Locale:
    """A site language ("en", "de", "de-ch") or any Babel locale ("de_CH", "fr-CH")."""
    site = SITE_LOCALES.get(locale.lower().replace("_", "-"))
    return Locale.parse(site or locale.replace("-", "_"))


def _group(digits: str, grouping: tuple[int, int], symbol: str) -> str:
    primary, secondary = grouping
    if len(digits) <= primary:
        return digits
    head, groups = digits[:-primary], [digits[-primary:]]
    while len(head) > secondary:
        head, groups = head[:-secondary], [head[-secondary:], *groups]
    return symbol.join([head, *groups])


def _space_letter_symbols(text: str) -> str:
    # CLDR's currencySpacing rule, which Babel does not apply: a currency symbol that ends
    # (or starts) with a letter is kept apart from an adjacent digit by a no-break space —
    # "CHF 1,234.50", but "€1,234.50" and "CHF-1'234.50" stay as they are.
    text = _LETTER_THEN_DIGIT.sub(rf"\1{NBSP}\2", text)
    return _DIGIT_THEN_LETTER.sub(rf"\1{NBSP}\2", text)


def format_money(money_or_minor: Money | int, currency: str | None = None, *, locale: str) -> str:
    """The amount as people write it in `locale`, e.g. for 123450 CHF / EUR:

    en: "CHF 1,234.50" / "€1,234.50"; de: "1.234,50 CHF" / "1.234,50 €";
    de-ch: "CHF 1'234.50" / "EUR 1'234.50" — with a no-break space after "CHF", the
    typographic apostrophe U+2019 for ', and the minus where CLDR puts it ("-€1,234.50",
    "CHF-1'234.50").
    """
    if isinstance(money_or_minor, Money):
        money = money_or_minor
        if currency is not None and currency != money.currency:
            raise CurrencyMismatch(f"A {money.currency} amount cannot be written as {currency}.")
    elif currency is None:
        raise ValueError("Say which currency the minor units are in.")
    else:
        money = Money(money_or_minor, currency)
    where = _babel_locale(locale)
    # Babel places the symbol, the sign and the decimal mark from CLDR; the grouping is
    # added here because Babel's final un-quoting step eats pairs of ASCII apostrophes,
    # so de_CH would print 1'234'567.00 as 1234567.00.
    text = format_currency(money.amount, money.currency, locale=where, group_separator=False)
    group = get_group_symbol(where)
    grouping = where.currency_formats["standard"].grouping
    text = _INTEGER_DIGITS.sub(
        lambda digits: _group(digits.group(), grouping, _GROUP_SYMBOLS.get(group, group)),
        text,
        count=1,
    )
    return _space_letter_symbols(text)
