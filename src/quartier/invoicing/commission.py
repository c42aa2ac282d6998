"""Quartier's monthly commission invoices to helpers, in Quartier's own name (series `Q`).

One invoice per helper, currency and month, over the jobs settled that month (the stored
`job.settled` events): commission per job from `payments.commission.job_charge` (the rate
per market and category). Its tax treatment (money-law §2.3, §8.2 item 2):

- Swiss helper (or no VAT status, in CH): `commission_ch`, Swiss VAT at
  `QUARTIER_COMMISSION_VAT["CH"]` when Quartier is VAT-registered, else none;
- German entrepreneur (de_regular, de_small): `commission_de_reverse_charge`, no VAT,
  "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)" and their USt-IdNr or
  Steuernummer;
- German private person (or no status, in DE): `commission_de_private`, German VAT at
  `QUARTIER_COMMISSION_VAT["DE"]` when set and Quartier is registered.

VAT is computed per job and summed, as the ledger books it. Issuing is idempotent (one
invoice per helper, currency and month; a second run issues only what is missing).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.money import Money
from quartier.payments.commission import job_charge, vat_rate
from quartier.payments.facts import job_facts
from quartier.payments.models import PayoutProfile
from quartier.payments.statements import statement_period

from .amounts import rate_text
from .commission_credit import Taken, commission_credit_issue, items_take, refund_label
from .commission_items import Pending, pending_run, refund_cut
from .issuer import quartier_issuer, quartier_vat_registered
from .models import Invoice, InvoiceKind
from .numbering import QUARTIER_SERIES
from .payment import creditor_reference, epc_qr, swiss_qr
from .profile import profile_of
from .services import invoice_store, withheld_retry
from .wording import day, language_of, money, say

logger = logging.getLogger(__name__)


def commission_template(*, vat_status: str, helper_country: str) -> tuple[str, Decimal]:
    """The template and the VAT percent on commission for a helper."""
    if vat_status.startswith("ch_") or (not vat_status and helper_country == "CH"):
        return "commission_ch", vat_rate(helper_country="CH")
    if vat_status in ("de_regular", "de_small"):
        return "commission_de_reverse_charge", Decimal(0)
    return "commission_de_private", vat_rate(helper_country="DE")


def commission_invoices_issue(*, year: int, month: int) -> list[Invoice]:
    """Issue the month's missing commission invoices — with every job settled before the
    month's end that no invoice took yet, refunds of them as negative lines — and a credit
    note for each earlier invoice whose jobs were refunded since; returns those issued now.
    A helper whose invoice for the month exists already gets the late ones next month."""
    period = f"{year:04d}-{month:02d}"
    _, end = statement_period(year, month)
    run = pending_run(end)
    issued = []
    for (helper_id, currency), items in sorted(run.invoices.items()):
        if (
            not any(item.kind != "refund" for item in items)
            or Invoice.objects.filter(
                kind=InvoiceKind.COMMISSION_INVOICE,
                helper_id=helper_id,
                period=period,
                currency=currency,
            ).exists()
        ):
            continue
        try:
            with transaction.atomic():
                issued.append(_issue(helper_id, currency, period, items))
        except IntegrityError:  # another worker issued it (or took one of its items)
            logger.info("commission invoice %s/%s/%s exists", helper_id, currency, period)
    for original_id, refunds in sorted(run.credits.items()):
        try:
            with transaction.atomic():
                credit = commission_credit_issue(original_id, refunds, period)
        except IntegrityError:
            logger.info("commission credit for invoice %s exists", original_id)
            continue
        if credit is not None:
            issued.append(credit)
    return issued


def invoicing_tick() -> str:
    """Hourly: invoices withheld for a profile completed since, and last month's commission
    invoices (both idempotent)."""
    withheld = withheld_retry()
    commission = commission_tick()
    return ", ".join(
        part
        for part in (f"{withheld} withheld invoices issued" if withheld else "", commission)
        if part
    )


def commission_tick() -> str:
    """Issue last month's commission invoices (idempotent; runs hourly in the worker)."""
    first = timezone.localdate().replace(day=1)
    last_month = first - timedelta(days=1)
    issued = commission_invoices_issue(year=last_month.year, month=last_month.month)
    return f"{len(issued)} commission invoices issued" if issued else ""


@dataclass(frozen=True)
class Month:
    """One helper's commission invoice in the making."""

    helper: User
    profile: PayoutProfile | None
    period: str
    currency: str
    template: str
    rate: Decimal
    lang: str


def _issue(helper_id: int, currency: str, period: str, items: list[Pending]) -> Invoice:
    helper = User.objects.get(pk=helper_id)
    profile = profile_of(helper_id)
    template, rate = commission_template(
        vat_status=profile.vat_status if profile else "",
        helper_country=job_facts(items[0].payload).helper_country,
    )
    month = Month(
        helper, profile, period, currency, template, rate, language_of(helper.preferred_language)
    )
    lines, vat_total, charged = _lines(month, items)
    net = sum(line["total_minor"] for line in lines)
    vat_rows = (
        [
            {
                "rate": rate_text(rate),
                "net_minor": net,
                "vat_minor": vat_total,
                "gross_minor": net + vat_total,
            }
        ]
        if rate
        else []
    )

    def build(number: str, today: date) -> dict[str, Any]:
        return _snapshot(month, number, today, lines, vat_rows)

    invoice = invoice_store(
        kind=InvoiceKind.COMMISSION_INVOICE,
        series=QUARTIER_SERIES,
        source_key=f"commission:{helper_id}:{currency}:{period}",
        build=build,
        helper_id=helper_id,
        period=period,
    )
    items_take(invoice, charged)
    return invoice


def _lines(month: Month, items: list[Pending]) -> tuple[list[dict[str, Any]], int, list[Taken]]:
    """One line per job or fee (commission, net) and per refund of one of them (negative),
    the VAT on them — per item, as the ledger books it — and what each item took."""
    lang, currency = month.lang, month.currency
    lines: list[dict[str, Any]] = []
    charged: dict[int, tuple[int, int]] = {}  # booking: (commission, VAT) of its job
    taken: list[Taken] = []
    for item in items:
        if item.kind == "refund":
            commission, vat = charged.get(item.booking_id, (0, 0))
            refund, commission, vat = refund_cut(item, commission, vat)
            label, percent = refund_label(item, refund, lang, currency), ""
            commission, vat = -commission, -vat
        else:
            fact = job_facts(item.payload)
            charge = job_charge(
                Money(item.amount_minor, currency),
                market=fact.market,
                skill=fact.skill,
                category=fact.category,
                helper_country=fact.helper_country,
            )
            commission = charge.commission.minor
            exact = Decimal(commission) * month.rate / 100
            vat = int(exact.quantize(Decimal(1), ROUND_HALF_UP))
            charged[item.booking_id] = (commission, vat)
            label = say(
                lang,
                "commission_line" if item.kind == "job" else "commission_fee_line",
                booking=f"#{item.booking_id}",
                date=day(timezone.localdate(item.moment), lang),
                price=money(item.amount_minor, currency, lang),
            )
            percent = f" ({charge.rate * 100:.1f} %)"
        taken.append(Taken(item.event_id, item.booking_id, item.kind, commission, vat))
        lines.append(
            {
                "kind": "commission" if item.kind != "refund" else "refund",
                "label": label + percent,
                "quantity": "1",
                "unit_minor": commission,
                "total_minor": commission,
                "vat_rate": rate_text(month.rate),
            }
        )
    return lines, sum(t.vat_minor for t in taken), taken


def _parties(month: Month) -> tuple[dict[str, Any], dict[str, Any]]:
    issuer, lang, profile = quartier_issuer(), month.lang, month.profile
    tax = [say(lang, "uid", value=issuer["uid"])] if issuer.get("uid") else []
    if quartier_vat_registered() and issuer.get("vat_number"):
        tax = [say(lang, "quartier_vat", value=issuer["vat_number"])]
    supplier = {
        "name": issuer["name"],
        "tax": tax,
        "lines": [
            f"{issuer['street']} {issuer['house_number']}",
            f"{issuer['country']}-{issuer['postcode']} {issuer['town']}",
        ],
    }
    recipient: dict[str, Any] = {"name": month.helper.full_name, "lines": [], "tax": []}
    if profile is not None and profile.legal_name:
        recipient["name"] = profile.legal_name
        recipient["lines"] = [
            f"{profile.street} {profile.house_number}".strip(),
            f"{profile.country}-{profile.postcode} {profile.town}",
        ]
    if month.template == "commission_de_reverse_charge" and profile is not None:
        recipient["tax"] = [say(lang, "recipient_tax", value=profile.vat_id or profile.tax_number)]
    return supplier, recipient


def _snapshot(
    month: Month,
    number: str,
    today: date,
    lines: list[dict[str, Any]],
    vat_rows: list[dict[str, Any]],
) -> dict[str, Any]:
    lang, issuer = month.lang, quartier_issuer()
    supplier, recipient = _parties(month)
    notes = [say(lang, "reverse_charge")] if month.template.endswith("reverse_charge") else []
    year, number_of_month = (int(part) for part in month.period.split("-"))
    next_first = date(year + number_of_month // 12, number_of_month % 12 + 1, 1)
    net = sum(line["total_minor"] for line in lines)
    total = net + sum(row["vat_minor"] for row in vat_rows)
    due = day(today + timedelta(days=30), lang)
    period = f"{number_of_month:02d}/{year}"
    qr = _commission_qr(month, number, total, issuer)
    return {
        "kind": "commission_invoice",
        "title": say(lang, "commission_invoice"),
        "heading": say(lang, "commission_heading", period=period),
        "agent_note": issuer.get("email", ""),
        "number": number,
        "issued_on": today.isoformat(),
        "supplied_on": (next_first - timedelta(days=1)).isoformat(),
        "period": period,
        "language": lang,
        "currency": month.currency,
        "template": month.template,
        "issuer": supplier,
        "recipient": recipient,
        "lines": lines,
        "vat": vat_rows,
        "net_minor": net,
        "total_minor": total,
        "notes": notes,
        "block_35a": None,
        "gaps": [],
        "payment": {
            "method": "commission",
            "due_minor": total,
            "qr": qr,
            "reference": qr["reference"],
            "texts": [
                say(
                    lang,
                    "commission_due",
                    due=due,
                    issuer=issuer["name"],
                    iban=issuer["iban"],
                    reference=qr["reference"],
                )
            ],
        },
    }


def _commission_qr(month: Month, number: str, total: int, issuer: dict[str, Any]) -> dict[str, Any]:
    """The payment code for Quartier's own account, with the reference (QRR with a QR-IBAN,
    else ISO 11649 `RF…` from the number) the bank import matches the helper's payment by."""
    if total <= 0:
        return {"kind": "none", "reference": creditor_reference(number)}
    if month.currency == "EUR":
        return epc_qr(name=issuer["name"], iban=issuer["iban"], amount_minor=total, number=number)
    profile = month.profile
    debtor = (
        {
            "name": (profile.legal_name or month.helper.full_name)[:70],
            "street": profile.street[:70],
            "house_num": profile.house_number[:16],
            "pcode": profile.postcode,
            "city": profile.town[:35],
            "country": profile.country,
        }
        if profile is not None
        and all((profile.street, profile.house_number, profile.postcode, profile.town))
        and profile.country
        else None
    )
    creditor = {
        "name": issuer["name"][:70],
        "street": issuer["street"],
        "house_num": issuer["house_number"],
        "pcode": issuer["postcode"],
        "city": issuer["town"],
        "country": issuer["country"],
    }
    return swiss_qr(
        account=issuer["iban"],
        creditor=creditor,
        debtor=debtor,
        amount_minor=total,
        number=number,
        message=f"{say(month.lang, 'commission_invoice')} {number}",
    )
