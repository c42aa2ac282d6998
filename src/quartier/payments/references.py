"""Payment references that a bank transfer carries back to Quartier, so the bank import
(`quartier.banking`) can tell what a credit pays without reading free text.

Two kinds, as the QR-bill allows (money-law §6.1): a QR reference (QRR, 27 digits, mod-10
check digit, only with a QR-IBAN) and an ISO 11649 creditor reference (SCOR, `RF` + two
check digits + up to 21 letters and digits) with any other IBAN, EPC QR codes included.
What each reference is built from:

| document | SCOR body | QRR digits (26, left-padded with zeros) |
| --- | --- | --- |
| commission invoice `Q-2026-000123` | `Q2026000123` | `2026000123` (< 10^10) |
| partner statement, partner 7, 2026-11 | `P7M202611` | `1` + partner (9 digits) + `202611` |
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import iso11649
from stdnum.ch import esr

_QR_IID = range(30000, 32000)


def is_qr_iban(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    return compact[:2] in ("CH", "LI") and compact[4:9].isdigit() and int(compact[4:9]) in _QR_IID


def creditor_reference(text: str) -> str:
    """ISO 11649 (`RF..`) from a text's letters and digits."""
    body = re.sub(r"[^A-Za-z0-9]", "", text).upper()[:21]
    digits = "".join(str(int(char, 36)) for char in body + "RF00")
    reference = f"RF{98 - int(digits) % 97:02d}{body}"
    return str(iso11649.validate(reference))


def qr_reference(text: str) -> str:
    """A 27-digit QR reference from a text's digits (the last 26 of them)."""
    body = re.sub(r"\D", "", text)[-26:].rjust(26, "0")
    return body + esr.calc_check_digit(body)


def partner_statement_reference(*, partner_id: int, month: date, iban: str) -> str:
    """What a partner's transfer for its statement of `month` names, for Quartier's `iban`."""
    if is_qr_iban(iban):
        return qr_reference(f"1{partner_id:09d}{month:%Y%m}")
    return creditor_reference(f"P{partner_id}M{month:%Y%m}")


def reference_kind(reference: str) -> str:
    """QRR, SCOR or "" (not a valid structured reference)."""
    compact = reference.replace(" ", "").upper()
    if compact.startswith("RF"):
        return "SCOR" if iso11649.is_valid(compact) else ""
    return "QRR" if len(compact) == 27 and esr.is_valid(compact) else ""


def commission_number_of(reference: str) -> str | None:
    """The commission invoice number (`Q-YYYY-NNNNNN`) a reference names, if it names one."""
    compact = reference.replace(" ", "").upper()
    kind = reference_kind(compact)
    if kind == "SCOR":
        found = re.fullmatch(r"Q(\d{4})(\d{6})", compact[4:])
    elif kind == "QRR" and int(compact[:26]) < 10**10:
        found = re.fullmatch(r"(\d{4})(\d{6})", compact[16:26])
    else:
        return None
    return f"Q-{found[1]}-{found[2]}" if found else None


def partner_month_of(reference: str) -> tuple[int, date] | None:
    """(partner id, month) of a partner statement's reference, if it is one."""
    compact = reference.replace(" ", "").upper()
    kind = reference_kind(compact)
    if kind == "SCOR":
        found = re.fullmatch(r"P(\d+)M(\d{4})(\d{2})", compact[4:])
    elif kind == "QRR" and compact[10] == "1" and compact[:10] == "0" * 10:
        found = re.fullmatch(r"(\d{9})(\d{4})(\d{2})", compact[11:26])
    else:
        return None
    if found is None or not 1 <= int(found[3]) <= 12:
        return None
    return int(found[1]), date(int(found[2]), int(found[3]), 1)
