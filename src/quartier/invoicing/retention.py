"""Invoices the law keeps after an erasure: restricted, then deleted when the period ends.

An issued invoice never changes, so erasing a member cannot blank it: the law (CH Art. 958f
OR, DE § 147 AO / § 14b UStG) keeps it for years. It is restricted instead — no longer
shown to operators or processed — and deleted on the first day its retention period is
over. The period follows the issuer's country and counts from the end of the year of
issue: an invoice of 2026 under Swiss law goes on 1 January 2037.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .issuer import quartier_issuer
from .models import Invoice, InvoiceKind, InvoicePdf, InvoiceRestriction


def retention_years(country: str) -> int:
    """Years the issuer's country keeps invoices; the longest configured for an unknown one."""
    years: dict[str, int] = settings.QUARTIER_RETENTION_YEARS
    return int(years.get(country, max(years.values())))


def issuer_country(invoice: Invoice) -> str:
    """Whose law keeps it: the helper's (their invoices and credit notes), else Quartier's."""
    if invoice.kind != InvoiceKind.COMMISSION_INVOICE and invoice.template[:3] in ("ch_", "de_"):
        return invoice.template[:2].upper()
    return str(quartier_issuer()["country"]).upper()


def retain_until(invoice: Invoice) -> date:
    """The first day the invoice may be deleted: the period ends with a year's end."""
    issued_year = timezone.localdate(invoice.issued_at).year
    return date(issued_year + retention_years(issuer_country(invoice)) + 1, 1, 1)


def invoices_restrict(*, member_id: int, now: datetime | None = None) -> int:
    """Restrict every invoice the member issued or received; returns how many were new."""
    now = now or timezone.now()
    invoices = Invoice.objects.filter(Q(helper_id=member_id) | Q(customer_id=member_id)).filter(
        restriction__isnull=True
    )
    restrictions = [
        InvoiceRestriction(invoice=invoice, restricted_at=now, retain_until=retain_until(invoice))
        for invoice in invoices
    ]
    InvoiceRestriction.objects.bulk_create(restrictions, ignore_conflicts=True)
    return len(restrictions)


def invoices_delete_expired(*, today: date | None = None) -> int:
    """Delete the restricted invoices whose retention ended, each with its PDF; a credit note
    goes with its original, so an original waits for the latest of its corrections. Returns
    how many invoices and credit notes went."""
    today = today or timezone.localdate()
    due = Invoice.objects.filter(restriction__retain_until__lte=today)
    waiting = Invoice.objects.filter(
        Q(restriction__isnull=True) | Q(restriction__retain_until__gt=today),
        original__isnull=False,
    ).values("original_id")
    originals = due.filter(original__isnull=True).exclude(pk__in=waiting)
    deleted = 0
    for original in originals.order_by("id")[:500]:
        with transaction.atomic():
            chain = Invoice.objects.filter(Q(pk=original.pk) | Q(original_id=original.pk))
            deleted += chain.count()
            InvoicePdf.objects.filter(invoice__in=chain).retention_delete()
            Invoice.objects.filter(original_id=original.pk).retention_delete()
            Invoice.objects.filter(pk=original.pk).retention_delete()
    return deleted
