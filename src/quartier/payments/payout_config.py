"""Who pays helpers in the pain.001 files, and when settlement money is too old.

Read from the environment (12-factor), overridable in Django settings (tests):

- `QUARTIER_PAYOUT_DEBTOR`: JSON {name, street, house_number, postcode, town, country};
- `QUARTIER_SETTLEMENT_IBAN`: the CHF account — Quartier's settlement account, where
  partners' money waits at most 60 days;
- `QUARTIER_BANK_IBAN_EUR`: Quartier's own EUR account.

The embedded defaults are the banks' published example IBANs: set real ones before paying.
"""

from __future__ import annotations

import json
import os

from django.conf import settings

DEFAULT_DEBTOR = {
    "name": "Quartier AG",
    "street": "Bahnhofstrasse",
    "house_number": "1",
    "postcode": "8001",
    "town": "Zurich",
    "country": "CH",
}
DEFAULT_IBAN = {"CHF": "CH9300762011623852957", "EUR": "DE89370400440532013000"}
IBAN_VARIABLE = {"CHF": "QUARTIER_SETTLEMENT_IBAN", "EUR": "QUARTIER_BANK_IBAN_EUR"}
#: Operators are told at these ages (days); `quartier settlement check` fails past the last
#: (the 60-day rule for a settlement account, Art. 5 Abs. 3 lit. c BankV).
SETTLEMENT_ALERT_DAYS = (45, 60)
#: The hard guard (`settlement.settlement_guard`, run by the hourly tick) moves what is still
#: in the settlement account at this age to Quartier's own account, before the limit.
SETTLEMENT_GUARD_DAYS = 55


def payout_debtor() -> dict[str, str]:
    configured = getattr(settings, "QUARTIER_PAYOUT_DEBTOR", None)
    if configured:
        return dict(configured)
    raw = os.environ.get("QUARTIER_PAYOUT_DEBTOR")
    return {**DEFAULT_DEBTOR, **json.loads(raw)} if raw else dict(DEFAULT_DEBTOR)


def payout_iban(currency: str) -> str:
    configured = getattr(settings, "QUARTIER_PAYOUT_IBAN", None)
    if configured and currency in configured:
        return str(configured[currency])
    return os.environ.get(IBAN_VARIABLE[currency], DEFAULT_IBAN[currency])


def settlement_alert_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "QUARTIER_SETTLEMENT_ALERT_DAYS", SETTLEMENT_ALERT_DAYS))


def settlement_guard_days() -> int:
    return int(getattr(settings, "QUARTIER_SETTLEMENT_GUARD_DAYS", SETTLEMENT_GUARD_DAYS))
