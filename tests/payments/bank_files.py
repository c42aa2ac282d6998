"""camt.053 / camt.054 files as banks send them, made for the tests."""

from __future__ import annotations

from dataclasses import dataclass

NS = {
    "camt.054": "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
    "camt.053": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04",
}
ACCOUNT = "CH9300762011623852957"


@dataclass
class Tx:
    amount: str
    reference: str = ""
    bank_ref: str = ""
    currency: str = "CHF"
    debtor: str = "Anna Muster"
    text: str = ""


def _tx(tx: Tx, kind: str) -> str:
    ref = f"<Refs><AcctSvcrRef>{tx.bank_ref}</AcctSvcrRef></Refs>" if tx.bank_ref else ""
    strd = (
        f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>{'QRR' if tx.reference[:2] != 'RF' else 'SCOR'}"
        f"</Prtry></CdOrPrtry></Tp><Ref>{tx.reference}</Ref></CdtrRefInf></Strd>"
        if tx.reference
        else ""
    )
    ustrd = f"<Ustrd>{tx.text}</Ustrd>" if tx.text else ""
    debtor = (
        f"<Dbtr><Pty><Nm>{tx.debtor}</Nm></Pty></Dbtr>"
        if kind == "camt.054"
        else f"<Dbtr><Nm>{tx.debtor}</Nm></Dbtr>"
    )
    return (
        f'<TxDtls>{ref}<AmtDtls><TxAmt><Amt Ccy="{tx.currency}">{tx.amount}</Amt></TxAmt>'
        f"</AmtDtls><RltdPties>{debtor}</RltdPties><RmtInf>{ustrd}{strd}</RmtInf></TxDtls>"
    )


def camt(
    kind: str,
    message_id: str,
    entries: list[list[Tx]],
    *,
    booked_on: str = "2026-11-25",
    debit: bool = False,
) -> bytes:
    """One entry per list of transactions (a batch booking when there are several)."""
    body, part = (
        ("BkToCstmrDbtCdtNtfctn", "Ntfctn") if kind == "camt.054" else ("BkToCstmrStmt", "Stmt")
    )
    status = "<Sts><Cd>BOOK</Cd></Sts>" if kind == "camt.054" else "<Sts>BOOK</Sts>"
    ntries = ""
    for number, txs in enumerate(entries):
        total = sum(float(tx.amount) for tx in txs)
        ntries += (
            f'<Ntry><NtryRef>{number}</NtryRef><Amt Ccy="{txs[0].currency}">{total:.2f}</Amt>'
            f"<CdtDbtInd>{'DBIT' if debit else 'CRDT'}</CdtDbtInd>{status}"
            f"<BookgDt><Dt>{booked_on}</Dt></BookgDt><ValDt><Dt>{booked_on}</Dt></ValDt>"
            f"<AcctSvcrRef>E-{message_id}-{number}</AcctSvcrRef>"
            f"<NtryDtls>{''.join(_tx(tx, kind) for tx in txs)}</NtryDtls></Ntry>"
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS[kind]}"><{body}>'
        f"<GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>{booked_on}T18:00:00</CreDtTm></GrpHdr>"
        f"<{part}><Id>{message_id}-1</Id><Acct><Id><IBAN>{ACCOUNT}</IBAN></Id></Acct>"
        f"{ntries}</{part}></{body}></Document>"
    ).encode()
