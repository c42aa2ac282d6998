"""pain.001.001.09 credit-transfer files, built by `sepaxml` and validated against the ISO
XSD it ships (through `xmlschema`) before anyone sees them.

CHF transfers go out as domestic payments (no SEPA service level), EUR as SEPA. Every party
carries a structured address (street and house number apart), which Swiss banks require
for pain.001 from November 2026. The XSD is the generic ISO one, not the Swiss SPS
`pain.001.001.09.ch.03` profile: a bank's test platform has the last word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sepaxml import SepaTransfer  # type: ignore[import-untyped]

SCHEMA = "pain.001.001.09"


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    iban: str
    street: str
    house_number: str
    postcode: str
    town: str
    country: str

    def address(self) -> dict[str, str]:
        return {
            "street_name": self.street,
            "building_number": self.house_number,
            "postcode": self.postcode,
            "town": self.town,
            "country": self.country,
        }


@dataclass(frozen=True, slots=True)
class Transfer:
    creditor: Party
    amount_minor: int
    end_to_end_id: str  # at most 35 characters, unique in the file
    remittance: str  # at most 140 characters


def credit_transfer_file(
    *, debtor: Party, currency: str, transfers: Iterable[Transfer], execution_date: date
) -> bytes:
    """The pain.001.001.09 document paying `transfers` from `debtor`'s account; raises
    (from `sepaxml`) when the document does not validate against the schema."""
    config: dict[str, Any] = {
        "name": debtor.name,
        "IBAN": debtor.iban,
        "batch": True,
        "currency": currency,
        "domestic": currency == "CHF",
        "address": debtor.address(),
    }
    document = SepaTransfer(config, schema=SCHEMA, clean=True)
    for transfer in transfers:
        document.add_payment(
            {
                "name": transfer.creditor.name,
                "IBAN": transfer.creditor.iban,
                "amount": transfer.amount_minor,
                "execution_date": execution_date,
                "description": transfer.remittance[:140],
                "endtoend_id": transfer.end_to_end_id[:35],
                "address": transfer.creditor.address(),
            }
        )
    result: bytes = document.export(validate=True, pretty_print=True)
    return result
