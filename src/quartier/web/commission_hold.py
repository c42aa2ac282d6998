"""What a helper paused for open commission sees on their start page: why, and the
commission invoices to pay (their PDFs carry the QR-bill with Quartier's reference)."""

from __future__ import annotations

from typing import Any

from quartier.accounts.holds import hold_of
from quartier.accounts.models import User
from quartier.invoicing.api import pdf_url
from quartier.invoicing.models import Invoice, InvoiceKind


def commission_hold_of(helper: User) -> dict[str, Any]:
    hold = hold_of(helper.pk)
    if hold is None or hold[0] != "commission_owed":
        return {}
    invoices = Invoice.objects.filter(
        kind=InvoiceKind.COMMISSION_INVOICE, helper_id=helper.pk, restriction__isnull=True
    ).order_by("-issued_at")[:3]
    return {
        "commission_hold": hold[1],
        "commission_invoices": [
            {
                "number": i.number,
                "url": pdf_url(i.pk),
                "total_minor": i.total_minor,
                "currency": i.currency,
            }
            for i in invoices
        ],
    }
