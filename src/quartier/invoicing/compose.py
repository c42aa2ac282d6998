"""The snapshot of a customer invoice in the helper's name: everything its PDF prints.

Built from the `job.settled` payload (v2; old events read as one labour line without VAT),
the helper's payout & tax profile and the customer's name and address. The template comes
from `rules.py`; wording from `wording.py`, resolved now so the snapshot is what is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from quartier.payments.models import PayoutProfile

from . import amounts, payment, rules
from .wording import day, money, say

PAYMENT_DAYS = 30


@dataclass(frozen=True)
class Recipient:
    name: str
    street_line: str
    postcode: str
    town: str
    country: str
    language: str


@dataclass(frozen=True)
class Issue:
    """Who, what and when: the facts a customer invoice is composed of."""

    payload: dict[str, Any]
    profile: PayoutProfile
    recipient: Recipient
    number: str
    issued_on: date
    service_label: str
    partner_name: str


def helper_party(profile: PayoutProfile) -> dict[str, Any]:
    return {
        "name": profile.legal_name,
        "lines": [
            f"{profile.street} {profile.house_number}",
            f"{profile.country}-{profile.postcode} {profile.town}",
        ],
    }


def recipient_party(recipient: Recipient) -> dict[str, Any]:
    town = " ".join(p for p in (recipient.postcode, recipient.town) if p)
    lines = [recipient.street_line, f"{recipient.country}-{town}" if town else ""]
    return {"name": recipient.name, "lines": [line for line in lines if line.strip()]}


def customer_invoice(issue: Issue) -> dict[str, Any]:
    payload, profile, lang = issue.payload, issue.profile, issue.recipient.language
    currency = str(payload["currency"])
    price, tip = int(payload["price_minor"]), int(payload.get("tip_minor") or 0)
    partner_share = int(payload.get("partner_share_minor") or 0)
    method = str(payload.get("method") or "transfer")
    customer_share = 0 if method == "partner" else price - partner_share + tip
    flags = list(payload.get("skill_flags") or [])
    block = rules.block_35a(
        vat_status=profile.vat_status,
        skill_flags=flags,
        method=method,
        customer_share_minor=customer_share - tip,
    )
    template = rules.template_for(
        vat_status=profile.vat_status,
        currency=currency,
        gross_minor=price + tip,
        block=block,
        reverse_charge=False,
    )
    lines = _lines(payload, template, issue, profile.country)
    helper = profile.legal_name
    agent = "agent_ch" if profile.vat_status.startswith("ch_") else "agent_de"
    snapshot: dict[str, Any] = {
        "kind": "customer_invoice",
        "title": say(lang, "invoice"),
        "heading": say(lang, "heading", helper=helper),
        "agent_note": say(lang, agent, helper=helper),
        "number": issue.number,
        "issued_on": issue.issued_on.isoformat(),
        "supplied_on": _supplied_on(payload, issue.issued_on).isoformat(),
        "language": lang,
        "currency": currency,
        "template": template,
        "issuer": helper_party(profile) | {"tax": _tax_lines(profile, lang)},
        "recipient": recipient_party(issue.recipient),
        "lines": lines,
        "vat": amounts.vat_breakdown(lines) if rules.shows_vat(template) else [],
        "total_minor": price + tip,
        "notes": _notes(template, profile, flags, lang),
        "block_35a": _block_35a(block, lines, price, partner_share, issue),
        "gaps": [],
    }
    snapshot["payment"] = _payment(issue, method, customer_share, partner_share, snapshot)
    return snapshot


def _supplied_on(payload: dict[str, Any], fallback: date) -> date:
    settled = str(payload.get("settled_at") or "")
    return date.fromisoformat(settled[:10]) if settled else fallback


def _lines(
    payload: dict[str, Any], template: str, issue: Issue, country: str
) -> list[dict[str, Any]]:
    if not rules.shows_vat(template):
        vat: str | None = "0"
    elif not payload.get("lines"):  # an old event: its price is gross at the standard rate
        vat = amounts.STANDARD_RATE.get(country, "0")
    else:
        vat = None
    lines = amounts.job_lines(payload, vat_rate=vat)
    for line in lines:
        line["label"] = line["label"] or issue.service_label
    tip = int(payload.get("tip_minor") or 0)
    if tip:
        rate = next(
            (ln["vat_rate"] for ln in lines if ln["kind"] == "labour"), lines[0]["vat_rate"]
        )
        label = say(issue.recipient.language, "tip")
        lines.append(
            {
                "kind": "tip",
                "label": label,
                "quantity": "1",
                "unit_minor": tip,
                "total_minor": tip,
                "vat_rate": rate,
            }
        )
    return lines


def _tax_lines(profile: PayoutProfile, lang: str) -> list[str]:
    if profile.vat_status == "ch_registered":
        return [say(lang, "ch_registered", uid=_mwst_number(profile.uid))]
    if profile.vat_status in ("de_regular", "de_small"):
        if profile.vat_id:
            return [say(lang, "vat_id", value=profile.vat_id)]
        return [say(lang, "tax_number", value=profile.tax_number)]
    return []


def _mwst_number(uid: str) -> str:
    uid = uid.strip()
    return uid if uid.upper().endswith("MWST") else f"{uid} MWST"


def _notes(template: str, profile: PayoutProfile, flags: list[str], lang: str) -> list[str]:
    notes = []
    if template == "de_small_business":
        notes.append(say(lang, "small_business"))
    if template == "de_private":
        notes.append(say(lang, "private_provider"))
    if rules.retention_note(vat_status=profile.vat_status, skill_flags=flags):
        notes.append(say(lang, "retention"))
    return notes


def _block_35a(
    block: rules.Block35a,
    lines: list[dict[str, Any]],
    price: int,
    partner_share: int,
    issue: Issue,
) -> dict[str, Any] | None:
    lang, currency = issue.recipient.language, str(issue.payload["currency"])
    if block == "none":
        return None
    if block == "cash_note":
        return {"title": say(lang, "block_35a"), "rows": [], "text": say(lang, "cash_no_35a")}
    sums = amounts.sums_35a([ln for ln in lines if ln["kind"] != "tip"])
    eligible = sum(sums[kind] for kind in amounts.ELIGIBLE_35A)
    rows = [[say(lang, kind), money(sums[kind], currency, lang)] for kind in sums]
    if partner_share:
        partner_part = eligible - amounts.share(eligible, price - partner_share, price)
        label = say(lang, "partner_part", partner=issue.partner_name)
        rows.append([label, money(-partner_part, currency, lang)])
        eligible -= partner_part
    rows.append([say(lang, "eligible"), money(eligible, currency, lang)])
    return {
        "title": say(lang, "block_35a"),
        "rows": rows,
        "eligible_minor": eligible,
        "text": say(lang, "cashless"),
    }


def _payment(
    issue: Issue, method: str, customer_share: int, partner_share: int, snapshot: dict[str, Any]
) -> dict[str, Any]:
    lang, currency, profile = issue.recipient.language, snapshot["currency"], issue.profile
    texts = []
    if method == "partner":
        texts.append(say(lang, "pay_partner_all", partner=issue.partner_name))
    elif partner_share:
        amount = money(partner_share, currency, lang)
        texts.append(say(lang, "pay_partner", partner=issue.partner_name, amount=amount))
    qr = None
    if method == "cash" and customer_share:
        texts.append(say(lang, "pay_cash", amount=money(customer_share, currency, lang)))
    elif method == "transfer" and customer_share:
        qr = _qr(issue, customer_share, snapshot)
        due = day(issue.issued_on + timedelta(days=PAYMENT_DAYS), lang)
        texts.append(
            say(
                lang,
                "pay_transfer",
                due=due,
                holder=profile.account_holder,
                iban=profile.iban,
                reference=qr["reference"],
                amount=money(customer_share, currency, lang),
            )
        )
    return {
        "method": method,
        "due_minor": customer_share if method == "transfer" else 0,
        "texts": texts,
        "qr": qr if qr and qr["kind"] != "none" else None,
        "partner_share_minor": partner_share,
        "partner_name": issue.partner_name,
    }


def _qr(issue: Issue, amount: int, snapshot: dict[str, Any]) -> dict[str, Any]:
    profile, number = issue.profile, issue.number
    if snapshot["currency"] == "CHF" and profile.iban[:2].upper() not in ("CH", "LI"):
        snapshot["gaps"].append("qr_bill_needs_ch_iban")  # a QR-bill pays CH/LI accounts only
        return {"kind": "none", "reference": payment.creditor_reference(number)}
    if snapshot["currency"] == "EUR":
        return payment.epc_qr(
            name=profile.account_holder, iban=profile.iban, amount_minor=amount, number=number
        )
    creditor = {
        "name": profile.account_holder[:70],
        "street": profile.street,
        "house_num": profile.house_number,
        "pcode": profile.postcode,
        "city": profile.town,
        "country": profile.country,
    }
    return payment.swiss_qr(
        account=profile.iban,
        creditor=creditor,
        debtor=_debtor(issue.recipient, snapshot),
        amount_minor=amount,
        number=number,
        message=f"{snapshot['title']} {number}",
    )


def _debtor(recipient: Recipient, snapshot: dict[str, Any]) -> dict[str, str] | None:
    """The customer as a structured address, or None (and a gap) when we cannot split it."""
    parts = payment.split_street(recipient.street_line)
    if parts is None or not (recipient.postcode and recipient.town and recipient.country):
        snapshot["gaps"].append("customer_address_unstructured")
        return None
    street, number = parts
    return {
        "name": recipient.name[:70],
        "street": street[:70],
        "house_num": number[:16],
        "pcode": recipient.postcode,
        "city": recipient.town[:35],
        "country": recipient.country,
    }
