"""What Quartier earns on a job: the commission rate per market and category, and its VAT.

`QUARTIER_COMMISSION` (JSON) gives rates as decimal fractions of the job price — strings,
so that no float ever touches them:

    {"default": "0.15",                                  # everywhere, unless below
     "cleaning": "0.13",                                 # a skill or category, any market
     "CH": {"default": "0.15", "tech-support": "0.14"},  # a market (two capital letters)
     "DE": {"default": "0.15", "cleaning": "0.12"}}

The most specific rate wins: market + skill, market + category, market default, skill,
category, default; without any, 15 %. The market is the job's country (CH, DE). Rates must
lie in [0, 1); a bad value stops `quartier check` and every command (a system check).

Rounding, explicit: the commission is `price * rate` rounded half up to the Rappen / Cent;
the VAT is `commission * VAT rate` rounded half up likewise, and comes on top of the
commission (the helper owes commission + VAT).

VAT on commission (money-law §2.3): `QUARTIER_VAT_REGISTERED` (default off) says Quartier is
VAT-registered; only then is VAT booked, at the rate `QUARTIER_COMMISSION_VAT` (JSON,
default `{"CH": "8.1"}`, percent) gives for the helper's country. A country missing there
books no VAT — German helpers who are entrepreneurs (Kleinunternehmer included) owe German
VAT on a Swiss platform's commission themselves by reverse charge.

Left with the advisors (money-law §2.3, §8.5), and therefore configuration, not code: which
entity issues the commission invoice, whether German VAT is due from Quartier on commission
charged to German helpers who are private persons (set "DE": "19" once the advisors say so
and Quartier is registered there), the § 13b treatment for Kleinunternehmer, whether Swiss
VAT is rounded to 5 Rappen on the monthly commission invoice (we round each job to the
Rappen), and whether to charge the commission to customers instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from quartier.money import Money

DEFAULT_RATE = Decimal("0.15")
DEFAULT_VAT_RATES = {"CH": "8.1"}
_MARKET = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Charge:
    """What a job costs the helper: commission at `rate` and VAT at `vat_rate` percent."""

    rate: Decimal
    commission: Money
    vat_rate: Decimal
    vat: Money

    @property
    def total(self) -> Money:
        return self.commission + self.vat


def _rate(value: Any, where: str, *, upper: Decimal) -> Decimal:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ImproperlyConfigured(f'{where}: write the rate as a string, e.g. "0.15".')
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{where}: {value!r} is not a number.") from None
    if not (rate.is_finite() and 0 <= rate < upper):
        raise ImproperlyConfigured(f"{where}: {value!r} must lie in [0, {upper}).")
    return rate


def commission_table() -> dict[str, Any]:
    """The validated `QUARTIER_COMMISSION` (ImproperlyConfigured when it is malformed)."""
    table = getattr(settings, "QUARTIER_COMMISSION", {})
    if not isinstance(table, dict):
        raise ImproperlyConfigured("QUARTIER_COMMISSION must be a JSON object.")
    for key, value in table.items():
        if _MARKET.match(key):
            if not isinstance(value, dict):
                raise ImproperlyConfigured(f"QUARTIER_COMMISSION[{key!r}] must be an object.")
            for slug, rate in value.items():
                _rate(rate, f"QUARTIER_COMMISSION[{key!r}][{slug!r}]", upper=Decimal(1))
        else:
            _rate(value, f"QUARTIER_COMMISSION[{key!r}]", upper=Decimal(1))
    return table


def commission_rate(*, market: str, skill: str = "", category: str = "") -> Decimal:
    """The most specific configured rate for a job (see the module docstring)."""
    table = commission_table()
    in_market = table.get(market, {})
    for scope, key in (
        (in_market, skill),
        (in_market, category),
        (in_market, "default"),
        (table, skill),
        (table, category),
        (table, "default"),
    ):
        if key and key in scope and not _MARKET.match(key):
            return Decimal(scope[key])
    return DEFAULT_RATE


def vat_rates() -> dict[str, Decimal]:
    """The validated `QUARTIER_COMMISSION_VAT`: percent per helper country."""
    rates = getattr(settings, "QUARTIER_COMMISSION_VAT", DEFAULT_VAT_RATES)
    if not isinstance(rates, dict):
        raise ImproperlyConfigured("QUARTIER_COMMISSION_VAT must be a JSON object.")
    return {
        country: _rate(value, f"QUARTIER_COMMISSION_VAT[{country!r}]", upper=Decimal(100))
        for country, value in rates.items()
    }


def vat_rate(*, helper_country: str) -> Decimal:
    """VAT on commission in percent for a helper of this country (0 when none is booked)."""
    if not getattr(settings, "QUARTIER_VAT_REGISTERED", False):
        return Decimal(0)
    return vat_rates().get(helper_country, Decimal(0))


def job_charge(
    price: Money, *, market: str, skill: str, category: str, helper_country: str
) -> Charge:
    """Commission and VAT on commission for a settled job of `price`."""
    rate = commission_rate(market=market, skill=skill, category=category)
    commission = price.percent(rate * 100, rounding=ROUND_HALF_UP)
    vat_percent = vat_rate(helper_country=helper_country)
    vat = commission.percent(vat_percent, rounding=ROUND_HALF_UP)
    return Charge(rate=rate, commission=commission, vat_rate=vat_percent, vat=vat)


def check_configuration(**kwargs: Any) -> list[checks.CheckMessage]:
    """System check: the commission and VAT settings parse."""
    errors: list[checks.CheckMessage] = []
    try:
        commission_table()
        vat_rates()
    except ImproperlyConfigured as bad:
        errors.append(checks.Error(str(bad), id="payments.E001"))
    return errors
