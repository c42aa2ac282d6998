"""Issuing invoices: customer invoices in the helper's name, credit notes, and the one write
path every invoice takes (`invoice_store`: number taken and row stored in one transaction).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.events.models import DomainEvent
from quartier.jobs.models import JobRequest
from quartier.partners.models import Partner

from . import credit
from .compose import Issue, Recipient, customer_invoice
from .models import Invoice, InvoiceKind, InvoiceWithheld
from .numbering import helper_series, number_take
from .profile import invoicing_gaps, profile_of
from .wording import language_of, say

logger = logging.getLogger(__name__)


def invoice_store(*, kind: str, series: str, source_key: str, build: Any, **fields: Any) -> Invoice:
    """Take the series' next number, build the snapshot for it, store the invoice.

    `build(number)` returns the snapshot; it runs while the series' counter is locked, so
    a failure there rolls the number back with it (no gap)."""
    with transaction.atomic():
        issued_at = timezone.now()
        number = number_take(series=series, year=timezone.localdate(issued_at).year)
        snapshot = build(number, timezone.localdate(issued_at))
        invoice: Invoice = Invoice.objects.create(
            kind=kind,
            series=series,
            number=number,
            source_key=source_key,
            issuer_name=snapshot["issuer"]["name"],
            template=snapshot["template"],
            language=snapshot["language"],
            currency=snapshot["currency"],
            total_minor=snapshot["total_minor"],
            snapshot=snapshot,
            issued_at=issued_at,
            **fields,
        )
        return invoice


def customer_invoice_issue(
    *, source_key: str, payload: dict[str, Any], label_key: str = ""
) -> Invoice | None:
    """The invoice for a settled job, in the helper's name; None (and the reason stored for
    the helper's job page) when their payout & tax profile is not complete. `label_key`
    names the wording its one line takes (a late cancellation's fee)."""
    booking_id, helper_id = int(payload["booking_id"]), int(payload["helper_id"])
    existing: Invoice | None = (
        Invoice.objects.filter(source_key=source_key).first()
        or Invoice.objects.filter(kind=InvoiceKind.CUSTOMER_INVOICE, booking_id=booking_id).first()
    )
    if existing is not None:
        return existing
    settled_on = date.fromisoformat(str(payload.get("settled_at") or timezone.now())[:10])
    profile = profile_of(helper_id)
    gaps = invoicing_gaps(profile, on=settled_on)
    if gaps or profile is None:
        InvoiceWithheld.objects.update_or_create(
            booking_id=booking_id, defaults={"helper_id": helper_id, "gaps": gaps}
        )
        return None
    recipient, label = _recipient(payload)
    if label_key:
        label = say(recipient.language, label_key, service=label)
    issue = Issue(
        payload=payload,
        profile=profile,
        recipient=recipient,
        number="",
        issued_on=settled_on,
        service_label=label,
        partner_name=_partner_name(payload),
    )

    def build(number: str, today: date) -> dict[str, Any]:
        return customer_invoice(Issue(**(vars(issue) | {"number": number, "issued_on": today})))

    invoice = invoice_store(
        kind=InvoiceKind.CUSTOMER_INVOICE,
        series=helper_series(helper_id),
        source_key=source_key,
        build=build,
        booking_id=booking_id,
        helper_id=helper_id,
        customer_id=payload.get("customer_id"),
    )
    InvoiceWithheld.objects.filter(booking_id=booking_id).delete()
    return invoice


def credit_note_issue(
    *, source_key: str, booking_id: int, refund_minor: int, line_key: str = "refund_line"
) -> Invoice | None:
    """A credit note over `refund_minor` for the booking's invoice (same issuer series);
    None when the booking has no invoice. A refund beyond what is left is cut to it."""
    original: Invoice | None = Invoice.objects.filter(
        kind=InvoiceKind.CUSTOMER_INVOICE, booking_id=booking_id
    ).first()
    if original is None or refund_minor <= 0:
        return None
    existing: Invoice | None = Invoice.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing
    credited = -sum(original.corrections.values_list("total_minor", flat=True))
    left = original.total_minor - credited
    if refund_minor > left:
        logger.warning(
            "refund %s on booking %s exceeds the %s left", refund_minor, booking_id, left
        )
        refund_minor = left
    if refund_minor <= 0:
        return None

    def build(number: str, today: date) -> dict[str, Any]:
        return credit.credit_note(
            original, refund_minor=refund_minor, number=number, today=today, line_key=line_key
        )

    return invoice_store(
        kind=InvoiceKind.CREDIT_NOTE,
        series=original.series,
        source_key=source_key,
        build=build,
        booking_id=booking_id,
        helper_id=original.helper_id,
        customer_id=original.customer_id,
        original=original,
    )


def _recipient(payload: dict[str, Any]) -> tuple[Recipient, str]:
    request = (
        JobRequest.objects.select_related("customer", "pending_contact", "skill")
        .filter(pk=int(payload.get("request_id") or 0))
        .first()
    )
    customer = User.objects.filter(pk=payload.get("customer_id") or 0).first()
    name = customer.full_name if customer else ""
    language = language_of(customer.preferred_language if customer else "de")
    if request is None:
        return Recipient(name, "", "", "", "", language), ""
    name = name or request.contact.full_name
    recipient = Recipient(
        name=name,
        street_line=request.street_address,
        postcode=request.postcode,
        town=request.locality,
        country=request.country,
        language=language,
    )
    skill = request.skill.name_en if language == "en" else request.skill.name_de
    return recipient, f"{skill}: {request.title}"


def _partner_name(payload: dict[str, Any]) -> str:
    partner_id = payload.get("partner_id")
    if not partner_id:
        return ""
    name = Partner.objects.filter(pk=partner_id).values_list("name", flat=True).first()
    return str(name or f"Partner #{partner_id}")


def withheld_retry(*, limit: int = 200) -> int:
    """Issue the invoices withheld for a profile that has been completed since; returns how
    many were issued (run by the `invoicing.withheld` tick)."""
    issued = 0
    for row in InvoiceWithheld.objects.order_by("id")[:limit]:
        profile = profile_of(row.helper_id)
        if invoicing_gaps(profile, on=timezone.localdate()):
            continue
        event = (
            DomainEvent.objects.filter(kind="job.settled", payload__booking_id=row.booking_id)
            .order_by("id")
            .first()
        )
        if event is None:
            continue
        invoice = customer_invoice_issue(
            source_key=f"event:{event.pk}", payload=dict(event.payload)
        )
        issued += invoice is not None
    return issued
