"""Customers paying invoices by transfer: reported, confirmed, reminded.

The customer pays the helper's own account, so Quartier never sees the money: the customer
says "I have paid", the helper confirms receipt (or confirms straight away). Until then the
customer is reminded 14 and 28 days after the invoice, once each, in their language, with
the invoice PDF (its QR-bill) attached and the account and reference in the text; an invoice
that is paid, reported, fully credited or restricted after an erasure is never reminded.
After the last reminder the helper decides: stop reminding, or pursue it outside Quartier
(`invoice_pursuit_set`; Quartier never pursues debts for helpers).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, InvalidInput
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import CustomerPayment, Invoice, InvoiceKind, InvoiceRestriction
from .selectors import get_invoice_for, invoice_pdf

REMINDER_DAYS = (14, 28)


class PaymentState(StrEnum):
    NONE = "none"  # nothing to pay by transfer (cash, the partner pays, a credit note)
    OPEN = "open"
    REPORTED = "reported"  # the customer says it is paid; the helper has not confirmed
    PAID = "paid"
    CREDITED = "credited"  # credit notes took the whole amount back


def amount_due(invoice: Invoice) -> int:
    """What the customer owes by transfer after the credit notes' refunds to them."""
    if invoice.kind != InvoiceKind.CUSTOMER_INVOICE:
        return 0
    payment = invoice.snapshot.get("payment") or {}
    if payment.get("method") != "transfer":
        return 0
    refunds = sum(
        int((note.snapshot.get("payment") or {}).get("customer_refund_minor") or 0)
        for note in invoice.corrections.all()
    )
    return int(payment.get("due_minor") or 0) - refunds


def payment_of(invoice: Invoice) -> tuple[PaymentState, int]:
    """Where the customer's transfer stands, and what is still due by transfer."""
    due = amount_due(invoice)
    owed = int((invoice.snapshot.get("payment") or {}).get("due_minor") or 0)
    if invoice.kind != InvoiceKind.CUSTOMER_INVOICE or due == owed == 0:
        return PaymentState.NONE, due
    record = CustomerPayment.objects.filter(invoice=invoice).first()
    if record is not None and record.confirmed_at:
        return PaymentState.PAID, due
    if due <= 0:
        return PaymentState.CREDITED, due
    if record is not None and record.reported_at:
        return PaymentState.REPORTED, due
    return PaymentState.OPEN, due


def payment_state(invoice: Invoice) -> PaymentState:
    return payment_of(invoice)[0]


def _payable(actor: User, invoice_id: int, *, role: str) -> tuple[Invoice, CustomerPayment]:
    invoice = get_invoice_for(actor, invoice_id)  # NotFound for everyone else
    party = invoice.customer_id if role == "customer" else invoice.helper_id
    if not (acts_for(actor, party) if role == "customer" else actor.pk == party):
        who = "customer" if role == "customer" else "helper"
        raise Forbidden(f"Only the invoice's {who} can do this.", code=f"not_the_{who}")
    if InvoiceRestriction.objects.filter(invoice=invoice).exists():
        raise Conflict("This invoice is closed: the other party left Quartier.", code="closed")
    state = payment_state(invoice)
    if state is PaymentState.PAID:
        raise Conflict("This invoice is paid already.", code="already_paid")
    if state in (PaymentState.NONE, PaymentState.CREDITED):
        raise Conflict("Nothing is due on this invoice by transfer.", code="nothing_due")
    record, _ = CustomerPayment.objects.select_for_update().get_or_create(invoice=invoice)
    return invoice, record


def invoice_payment_report(*, actor: User, invoice_id: int) -> CustomerPayment:
    """The customer says they paid; the helper is asked to confirm. Saying it twice is fine."""
    with transaction.atomic():
        invoice, record = _payable(actor, invoice_id, role="customer")
        if record.reported_at is None:
            record.reported_at = timezone.now()
            record.save(update_fields=["reported_at"])
            _tell(invoice, invoice.helper_id, "reported")
            record_delegate_act(actor, invoice.customer_id, "invoice.paid", invoice)
    return record


def invoice_payment_confirm(*, actor: User, invoice_id: int) -> CustomerPayment:
    """The helper received the money: the invoice is paid and reminders stop."""
    with transaction.atomic():
        invoice, record = _payable(actor, invoice_id, role="helper")
        record.confirmed_at = timezone.now()
        record.save(update_fields=["confirmed_at"])
        if invoice.customer_id is not None:
            _tell(invoice, invoice.customer_id, "confirmed")
    return record


def payment_reminders_send(*, now: datetime | None = None) -> int:
    """Remind customers of open transfer invoices at 14 and 28 days; returns how many."""
    now = now or timezone.now()
    candidates = (
        Invoice.objects.filter(
            kind=InvoiceKind.CUSTOMER_INVOICE,
            customer_id__isnull=False,
            issued_at__lte=now - timedelta(days=REMINDER_DAYS[0]),
            restriction__isnull=True,
        )
        .filter(snapshot__payment__method="transfer")
        .filter(Q(customer_payment__isnull=True) | Q(customer_payment__reminders_sent__lt=2))
        .exclude(customer_payment__reported_at__isnull=False)
        .exclude(customer_payment__confirmed_at__isnull=False)
        .exclude(customer_payment__pursuit__gt="")  # the helper stopped them
        .order_by("id")
    )
    sent = 0
    for invoice in candidates[:500]:
        stage = sum(now - invoice.issued_at >= timedelta(days=d) for d in REMINDER_DAYS)
        if payment_state(invoice) is not PaymentState.OPEN:
            continue
        with transaction.atomic():
            record, _ = CustomerPayment.objects.get_or_create(invoice=invoice)
            # Compare-and-set: two workers never send the same reminder.
            moved = CustomerPayment.objects.filter(
                pk=record.pk, reminders_sent__lt=stage, reported_at__isnull=True, pursuit=""
            ).update(reminders_sent=stage)
            if moved:
                _tell(invoice, int(invoice.customer_id or 0), "reminder", stage=stage)
                if stage == len(REMINDER_DAYS):  # the last one: the helper decides what next
                    _tell(invoice, invoice.helper_id, "reminders_done", stage=stage)
                sent += 1
    return sent


PURSUITS = ("stopped", "outside")


def invoice_pursuit_set(*, actor: User, invoice_id: int, pursuit: str) -> CustomerPayment:
    """The helper decides about an unpaid invoice: stop Quartier's reminders, or say they
    pursue it outside Quartier (a reminder of their own, a debt collector). Either ends the
    reminders; the invoice stays open until the helper confirms the money arrived."""
    if pursuit not in PURSUITS:
        raise InvalidInput("Choose stopped or outside.", errors={"pursuit": ["stopped or outside"]})
    with transaction.atomic():
        _, record = _payable(actor, invoice_id, role="helper")
        record.pursuit, record.pursuit_set_at = pursuit, timezone.now()
        record.save(update_fields=["pursuit", "pursuit_set_at"])
    return record


def payment_reminders_tick() -> str:
    sent = payment_reminders_send()
    return f"{sent} payment reminders sent" if sent else ""


def _tell(invoice: Invoice, user_id: int, step: str, *, stage: int = 0) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    qr = (invoice.snapshot.get("payment") or {}).get("qr") or {}
    context = {
        "step": step,
        "stage": stage,
        "number": invoice.number,
        "helper": invoice.issuer_name,
        "amount_minor": amount_due(invoice),
        "currency": invoice.currency,
        # The QR-bill's data again, for paying by hand; the invoice PDF with the QR-bill
        # itself goes with the reminder.
        "iban": qr.get("account") or qr.get("iban") or "",
        "reference": qr.get("reference") or "",
    }
    link = Link(Page.BOOKING, (invoice.booking_id,)) if invoice.booking_id else None
    attachment = (
        (f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
        if step == "reminder"
        else None
    )
    notify(user=user, kind=Kind.PAYMENT, context=context, link=link, attachment=attachment)
