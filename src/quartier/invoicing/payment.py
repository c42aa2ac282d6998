"""How the customer pays an invoice by transfer: the Swiss QR-bill (CHF) or the EPC QR
("GiroCode", EUR), both to the helper's own account.

QR-bills carry structured addresses only (type "S", mandatory since November 2025), the
helper's IBAN and a reference: a QR reference (QRR) with a QR-IBAN, otherwise an ISO 11649
creditor reference (SCOR) made from the invoice number. The data is frozen in the invoice's
snapshot; the PDF draws it with `qrbill` (SVG) and `segno`.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import segno.helpers
from qrbill import QRBill

from quartier.money import to_major
from quartier.payments.references import creditor_reference as creditor_reference
from quartier.payments.references import is_qr_iban as is_qr_iban
from quartier.payments.references import qr_reference as qr_reference

_STREET_AND_NUMBER = re.compile(
    r"^(?P<street>.*?\S)\s+(?P<number>\d+\s?[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)$"
)


def split_street(line: str) -> tuple[str, str] | None:
    """`Badenerstrasse 12a` -> (`Badenerstrasse`, `12a`); None when no house number shows."""
    match = _STREET_AND_NUMBER.match(line.strip())
    return (match["street"], match["number"].replace(" ", "")) if match else None


def swiss_qr(
    *,
    account: str,
    creditor: dict[str, str],
    debtor: dict[str, str] | None,
    amount_minor: int,
    number: str,
    message: str,
) -> dict[str, Any]:
    """The QR-bill's data (validated by building the bill once)."""
    reference = qr_reference(number) if is_qr_iban(account) else creditor_reference(number)
    data = {
        "kind": "swiss_qr",
        "account": account,
        "creditor": creditor,
        "debtor": debtor,
        "amount": str(to_major(amount_minor)),
        "currency": "CHF",
        "reference": reference,
        "message": message[:140],
    }
    qr_bill(data, language="de")  # raises ValueError now rather than at download
    return data


def qr_bill(data: dict[str, Any], *, language: str) -> QRBill:
    return QRBill(
        account=data["account"],
        # Dicts without line1/line2 become `StructuredAddress` (type "S") in qrbill.
        creditor=data["creditor"],
        debtor=data["debtor"] or None,
        amount=Decimal(data["amount"]),
        currency=data["currency"],
        reference_number=data["reference"],
        additional_information=data["message"],
        language=language,
    )


def qr_bill_svg(data: dict[str, Any], *, language: str) -> str:
    out = io.StringIO()
    qr_bill(data, language=language).as_svg(out)
    return out.getvalue()


def epc_qr(*, name: str, iban: str, amount_minor: int, number: str) -> dict[str, Any]:
    data = {
        "kind": "epc",
        "name": name[:70],
        "iban": iban,
        "amount": str(to_major(amount_minor)),
        "currency": "EUR",
        "reference": creditor_reference(number),
    }
    epc_code(data)  # validates
    return data


def epc_code(data: dict[str, Any]) -> Any:
    return segno.helpers.make_epc_qr(
        name=data["name"],
        iban=data["iban"],
        amount=Decimal(data["amount"]),
        reference=data["reference"],
    )
