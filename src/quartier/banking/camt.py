"""Reading ISO 20022 camt.053 (statement) and camt.054 (credit/debit notification) files.

Only what reconciliation needs: the message id, the account, and each booked credit with
its amount, booking date, bank reference, structured creditor reference (QRR / SCOR) and
free text. Parsed with lxml, namespace-agnostic (`{*}`), so versions 001.02 to 001.13 and
the Swiss SPS variants read alike; entities and DTDs are never loaded (untrusted files).

Why not a package: the camt readers on the package index either leave out the remittance
reference (`camt053` reads entries and end-to-end ids, not `RmtInf/Strd/CdtrRefInf`) or pull
a web framework along; this is 150 lines over lxml, which is already installed.

A credit's key is the bank's own reference (`AcctSvcrRef`, per transaction, else per entry
and position), so the same credit in a camt.054 and later in the day's camt.053 is the same
credit; without one, the message id and position (stable within a file only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from quartier.errors import InvalidInput
from quartier.money import CURRENCIES, to_minor

ROOTS = {"BkToCstmrStmt": "camt.053", "BkToCstmrDbtCdtNtfctn": "camt.054"}
_PARTS = {"camt.053": "Stmt", "camt.054": "Ntfctn"}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Credit:
    key: str
    amount_minor: int
    currency: str
    booked_on: date
    reference: str  # structured creditor reference (QRR or SCOR), "" if none
    remittance: str  # unstructured text
    debtor_name: str
    debtor_iban: str


@dataclass(slots=True)
class BankMessage:
    message_id: str
    message_type: str  # camt.053 or camt.054
    account_iban: str
    credits: list[Credit] = field(default_factory=list)
    skipped: int = 0  # debits, reversals, entries not booked yet


def _text(node: Any, path: str) -> str:
    found = node.find(path)
    return (found.text or "").strip() if found is not None else ""


def _bad(detail: str) -> InvalidInput:
    return InvalidInput(f"Not a readable camt.053 / camt.054 file: {detail}", code="bank_file_bad")


def parse_camt(content: bytes) -> BankMessage:
    if len(content) > MAX_BYTES:
        raise _bad("the file is larger than 20 MB.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise _bad(str(error)) from None
    if root.getroottree().docinfo.doctype:
        raise _bad("a DOCTYPE is not allowed.")
    body = next((child for child in root if isinstance(child.tag, str)), None)
    name = etree.QName(body).localname if body is not None else ""
    if body is None or etree.QName(root).localname != "Document" or name not in ROOTS:
        raise _bad("no BkToCstmrStmt or BkToCstmrDbtCdtNtfctn in the Document.")
    kind = ROOTS[name]
    message_id = _text(body, "{*}GrpHdr/{*}MsgId")
    if not message_id:
        raise _bad("the group header has no MsgId.")
    message = BankMessage(message_id, kind, "")
    for part_no, part in enumerate(body.findall(f"{{*}}{_PARTS[kind]}")):
        iban = _text(part, "{*}Acct/{*}Id/{*}IBAN")
        message.account_iban = message.account_iban or iban
        for entry_no, entry in enumerate(part.findall("{*}Ntry")):
            position = f"{message_id}/{part_no}/{entry_no}"
            _read_entry(message, entry, iban, position)
    return message


def _status(entry: Any) -> str:
    return _text(entry, "{*}Sts/{*}Cd") or _text(entry, "{*}Sts")


def _read_entry(message: BankMessage, entry: Any, iban: str, position: str) -> None:
    reversal = _text(entry, "{*}RvslInd").lower() == "true"
    if _text(entry, "{*}CdtDbtInd") != "CRDT" or reversal or _status(entry) != "BOOK":
        message.skipped += 1
        return
    booked_on = _date(entry)
    entry_ref = _text(entry, "{*}AcctSvcrRef")
    details = entry.findall("{*}NtryDtls/{*}TxDtls")
    if not details:  # a single credit without details: the entry is the transaction
        message.credits.append(_credit(entry, None, iban, entry_ref or position, booked_on))
        return
    for tx_no, tx in enumerate(details):
        own = _text(tx, "{*}Refs/{*}AcctSvcrRef")
        key = own or (f"{entry_ref}/{tx_no}" if entry_ref else f"{position}/{tx_no}")
        fallback = entry if len(details) == 1 else None  # one transaction: the entry's amount
        message.credits.append(_credit(tx, fallback, iban, key, booked_on))


def _date(entry: Any) -> date:
    text = _text(entry, "{*}BookgDt/{*}Dt") or _text(entry, "{*}BookgDt/{*}DtTm")[:10]
    text = text or _text(entry, "{*}ValDt/{*}Dt") or _text(entry, "{*}ValDt/{*}DtTm")[:10]
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise _bad(f"an entry has no booking date ({text!r}).") from None


def _amount(node: Any, fallback: Any | None) -> tuple[int, str]:
    amount = node.find("{*}Amt")
    if amount is None:
        amount = node.find("{*}AmtDtls/{*}TxAmt/{*}Amt")
    if amount is None and fallback is not None:
        amount = fallback.find("{*}Amt")
    if amount is None:
        raise _bad("a credit has no amount.")
    currency = amount.get("Ccy", "")
    if currency not in CURRENCIES:
        raise _bad(f"currency {currency!r} is neither CHF nor EUR.")
    try:
        minor = to_minor(Decimal((amount.text or "").strip()))
    except (InvalidOperation, ValueError):
        raise _bad(f"amount {amount.text!r} is not a number of {currency}.") from None
    if minor <= 0:
        raise _bad("a credit's amount is not positive.")
    return minor, currency


def _credit(tx: Any, fallback: Any | None, iban: str, key: str, booked_on: date) -> Credit:
    minor, currency = _amount(tx, fallback)
    debtor = "{*}RltdPties/{*}Dbtr"
    reference = _text(tx, "{*}RmtInf/{*}Strd/{*}CdtrRefInf/{*}Ref")
    remittance = " ".join(
        (node.text or "").strip() for node in tx.findall("{*}RmtInf/{*}Ustrd")
    ).strip()
    return Credit(
        key=f"{iban}:{key}"[:120],
        amount_minor=minor,
        currency=currency,
        booked_on=booked_on,
        reference=reference.replace(" ", "").upper()[:35],
        remittance=remittance[:140],
        debtor_name=(_text(tx, f"{debtor}/{{*}}Pty/{{*}}Nm") or _text(tx, f"{debtor}/{{*}}Nm"))[
            :140
        ],
        debtor_iban=_text(tx, "{*}RltdPties/{*}DbtrAcct/{*}Id/{*}IBAN")[:34],
    )
