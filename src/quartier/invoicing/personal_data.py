"""Invoices a member issued (as helper) or received: exported; on erasure restricted, not
deleted, because the law keeps them (10 years in CH, Art. 958f OR; 8 years in DE, § 14b UStG
/ § 147 AO) and an issued invoice never changes — `retention` deletes them when that period
ends. Only the notes why no invoice was issued go at once."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Invoice, InvoiceWithheld
from .retention import invoices_restrict


def export(user_id: int) -> dict[str, Any]:
    invoices = Invoice.objects.filter(Q(helper_id=user_id) | Q(customer_id=user_id)).order_by("id")
    return {
        "invoices": [
            {
                "number": invoice.number,
                "kind": invoice.kind,
                "issuer": invoice.issuer_name,
                "issued_at": invoice.issued_at.isoformat(),
                "total_minor": invoice.total_minor,
                "currency": invoice.currency,
                "booking_id": invoice.booking_id,
                "pdf": f"/api/v1/invoices/{invoice.pk}/pdf",
            }
            for invoice in invoices
        ]
    }


def erase(user_id: int) -> None:
    InvoiceWithheld.objects.filter(helper_id=user_id).delete()
    invoices_restrict(member_id=user_id)
