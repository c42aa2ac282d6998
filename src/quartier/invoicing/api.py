"""Invoices API: a booking's invoices and credit notes, and each one's PDF."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema

from quartier.accounts.auth import api_auth, current_user

from .collection import (
    invoice_payment_confirm,
    invoice_payment_report,
    invoice_pursuit_set,
    payment_of,
    payment_state,
)
from .models import CustomerPayment, Invoice
from .selectors import get_invoice_for, invoice_list_for_booking, invoice_pdf

router = Router(tags=["invoices"], auth=api_auth)


class InvoiceOut(Schema):
    id: int
    number: str
    kind: str = Field(description="customer_invoice, credit_note or commission_invoice")
    issuer_name: str = Field(description="Who the document is issued by (a helper's name).")
    template: str = Field(description="The legal template, e.g. ch_registered, de_standard.")
    total_minor: int = Field(description="Gross total in minor units; negative for credits.")
    currency: str
    pdf_url: str
    payment_state: str = Field(
        description="Customer invoices paid by transfer: open, reported (the customer says "
        "it is paid), paid (the helper confirmed) or credited; none for everything else."
    )
    amount_due_minor: int = Field(description="What the customer owes by transfer, if open.")


class InvoicePaymentOut(Schema):
    invoice_id: int
    payment_state: str
    reported_at: datetime | None
    confirmed_at: datetime | None


def invoice_out(invoice: Invoice) -> InvoiceOut:
    state, due = payment_of(invoice)
    return InvoiceOut(
        id=invoice.pk,
        number=invoice.number,
        kind=invoice.kind,
        issuer_name=invoice.issuer_name,
        template=invoice.template,
        total_minor=invoice.total_minor,
        currency=invoice.currency,
        pdf_url=pdf_url(invoice.pk),
        payment_state=state,
        amount_due_minor=due if state in ("open", "reported") else 0,
    )


def payment_out(record: CustomerPayment) -> InvoicePaymentOut:
    return InvoicePaymentOut(
        invoice_id=record.invoice_id,
        payment_state=payment_state(record.invoice),
        reported_at=record.reported_at,
        confirmed_at=record.confirmed_at,
    )


def pdf_url(invoice_id: int) -> str:
    return reverse("api-v1:invoice_pdf", args=[invoice_id])


@router.get("/bookings/{booking_id}/invoices", response=list[InvoiceOut])
def booking_invoices(request: HttpRequest, booking_id: int) -> list[InvoiceOut]:
    """The booking's invoice in the helper's name and its credit notes (its customer, its
    helper and operators only)."""
    actor = current_user(request)
    return [invoice_out(i) for i in invoice_list_for_booking(actor=actor, booking_id=booking_id)]


@router.get(
    "/invoices/{invoice_id}/pdf",
    response={200: None},
    url_name="invoice_pdf",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def invoice_pdf_download(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """The document as PDF (same parties as the list; a commission invoice: its helper)."""
    invoice = get_invoice_for(current_user(request), invoice_id)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response


@router.post("/invoices/{invoice_id}/payment-report", response=InvoicePaymentOut)
def invoice_payment_reported(request: HttpRequest, invoice_id: int) -> InvoicePaymentOut:
    """The customer says they paid the invoice by transfer; its helper is asked to confirm
    and the payment reminders stop (the customer only; 409 when paid or nothing is due)."""
    record = invoice_payment_report(actor=current_user(request), invoice_id=invoice_id)
    return payment_out(record)


@router.post("/invoices/{invoice_id}/payment-confirmation", response=InvoicePaymentOut)
def invoice_payment_confirmed(request: HttpRequest, invoice_id: int) -> InvoicePaymentOut:
    """The helper confirms the customer's transfer arrived: the invoice is paid (its helper
    only; 409 when paid already or nothing is due)."""
    record = invoice_payment_confirm(actor=current_user(request), invoice_id=invoice_id)
    return payment_out(record)


class InvoicePursuitIn(Schema):
    pursuit: Literal["stopped", "outside"] = Field(
        description="stopped: no more reminders; outside: you pursue it outside Quartier."
    )


@router.post("/invoices/{invoice_id}/pursuit", response=InvoicePaymentOut)
def invoice_pursuit(
    request: HttpRequest, invoice_id: int, payload: InvoicePursuitIn
) -> InvoicePaymentOut:
    """The helper decides about an unpaid invoice in their name: Quartier's reminders stop
    (either way); the invoice stays open until you confirm the money arrived (its helper
    only; 409 when paid or nothing is due)."""
    record = invoice_pursuit_set(
        actor=current_user(request), invoice_id=invoice_id, pursuit=payload.pursuit
    )
    return payment_out(record)
