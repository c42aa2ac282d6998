"""Reading invoices: a booking's documents for its parties and operators, and the PDF.

An invoice restricted after a party's erasure stays with the other party (their own copy)
but is no longer shown to operators."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from quartier.accounts.models import User
from quartier.bookings.selectors import get_booking_for
from quartier.errors import NotFound
from quartier.households.access import acts_for

from .models import Invoice, InvoiceKind, InvoicePdf, InvoiceRestriction, InvoiceWithheld
from .pdf import render_pdf


def invoice_list_for_booking(*, actor: User, booking_id: int) -> list[Invoice]:
    """The booking's invoices and credit notes (the parties and operators only)."""
    get_booking_for(actor, booking_id)  # NotFound for anyone else
    invoices = Invoice.objects.filter(booking_id=booking_id).exclude(
        kind=InvoiceKind.COMMISSION_INVOICE
    )
    if actor.is_staff:
        invoices = invoices.filter(restriction__isnull=True)
    return list(invoices.order_by("id"))


def invoice_withheld_for_booking(*, booking_id: int) -> InvoiceWithheld | None:
    return InvoiceWithheld.objects.filter(booking_id=booking_id).first()


def get_invoice_for(actor: User, invoice_id: int) -> Invoice:
    invoice: Invoice | None = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("No such invoice.")
    if actor.is_staff:
        # Kept only for the law after a party's erasure: not shown to operators.
        if InvoiceRestriction.objects.filter(invoice=invoice).exists():
            raise NotFound("No such invoice.")
        return invoice
    if invoice.kind == InvoiceKind.COMMISSION_INVOICE:
        if invoice.helper_id != actor.pk:
            raise NotFound("No such invoice.")
        return invoice
    if not (actor.pk == invoice.helper_id or acts_for(actor, invoice.customer_id)):
        raise NotFound("No such invoice.")
    return invoice


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF: rendered from its snapshot on first download, then kept."""
    stored = InvoicePdf.objects.filter(invoice=invoice).values_list("content", flat=True).first()
    if stored is not None:
        return bytes(stored)
    content = render_pdf(invoice.snapshot)
    try:
        with transaction.atomic():
            InvoicePdf.objects.create(invoice=invoice, content=content)
    except IntegrityError:  # rendered at the same time elsewhere; both are the same
        pass
    return content
