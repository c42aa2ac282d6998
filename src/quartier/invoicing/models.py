"""Invoices as issued: numbered per issuer without gaps, frozen, never changed.

An `Invoice` row holds a snapshot of everything its PDF prints; the PDF is rendered from
that snapshot on first download and kept (`InvoicePdf`). Rows are append-only (the ledger's
`AppendOnly`): a wrong invoice is corrected by a credit note that references it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from quartier.money import CURRENCIES
from quartier.payments.models import AppendOnly


class InvoiceKind(models.TextChoices):
    CUSTOMER_INVOICE = "customer_invoice", "Customer invoice (in the helper's name)"
    CREDIT_NOTE = "credit_note", "Credit note (corrects an invoice)"
    COMMISSION_INVOICE = "commission_invoice", "Commission invoice (Quartier to helper)"


class Invoice(AppendOnly):
    kind = models.CharField(max_length=20, choices=InvoiceKind.choices)
    # The issuer's number series: `H<helper id>` (in the helper's name) or `Q` (Quartier).
    series = models.CharField(max_length=20)
    number = models.CharField(max_length=40, unique=True)
    issuer_name = models.CharField(max_length=140)
    template = models.CharField(max_length=40)
    language = models.CharField(max_length=2)
    currency = models.CharField(max_length=3)
    # Credit notes carry a negative total: the sum over a booking is what is owed.
    total_minor = models.BigIntegerField()
    snapshot: Any = models.JSONField()
    booking_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    helper_id = models.PositiveBigIntegerField(help_text="The helper: issuer or recipient.")
    customer_id = models.PositiveBigIntegerField(null=True, blank=True)
    period = models.CharField(max_length=7, blank=True, help_text="YYYY-MM (commission).")
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    # Which business event issued it (e.g. `event:42`): an event issues at most one invoice.
    source_key = models.CharField(max_length=80, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(currency__in=sorted(CURRENCIES)), name="invoice_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(kind="credit_note", original__isnull=False, total_minor__lte=0)
                | (~Q(kind="credit_note") & Q(original__isnull=True, total_minor__gte=0)),
                name="invoice_credit_note_has_original",
            ),
            models.UniqueConstraint(
                fields=["booking_id"],
                condition=Q(kind="customer_invoice"),
                name="invoice_one_customer_invoice_per_booking",
            ),
            models.UniqueConstraint(
                fields=["helper_id", "period", "currency"],
                condition=Q(kind="commission_invoice"),
                name="invoice_one_commission_invoice_per_month",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoicePdf(AppendOnly):
    """The rendered PDF, written once on first download (the snapshot does not change)."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="pdf")
    content = models.BinaryField()
    rendered_at = models.DateTimeField(default=timezone.now)


class InvoiceCounter(models.Model):
    """The last number used per series and year; locked while an invoice is issued."""

    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="invoice_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class CommissionItem(AppendOnly):
    """A stored event (a settled job, a late cancellation's fee, a refund) that a commission
    invoice or credit note took: each at most once (its event is unique), so a late one goes
    on the next month's invoice and none is charged twice."""

    event_id = models.PositiveBigIntegerField(unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="items")
    booking_id = models.PositiveBigIntegerField(db_index=True)
    kind = models.CharField(max_length=10)  # job, fee, refund
    commission_minor = models.BigIntegerField()  # negative for a refund
    vat_minor = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.kind} of booking #{self.booking_id} on {self.invoice_id}"


class InvoiceWithheld(models.Model):
    """Why a settled job got no invoice in the helper's name (shown on the job's page)."""

    booking_id = models.PositiveBigIntegerField(unique=True)
    helper_id = models.PositiveBigIntegerField(db_index=True)
    # Codes of what the payout & tax profile lacks (`profile.GAP_LABELS`).
    gaps: Any = models.JSONField(default=list)
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"No invoice for booking #{self.booking_id}"


class InvoiceRestriction(models.Model):
    """An invoice kept only because the law says so: a party's account was erased.

    It is no longer shown to operators nor processed (statements, exports, mails); the
    other party keeps its own copy. `retention.invoices_delete_expired` deletes it, with its
    PDF and its credit notes, once `retain_until` has come.
    """

    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="restriction")
    restricted_at = models.DateTimeField(default=timezone.now)
    retain_until = models.DateField(help_text="The first day it may (and must) be deleted.")

    class Meta:
        indexes = [models.Index(fields=["retain_until"])]

    def __str__(self) -> str:
        return f"{self.invoice_id} kept until {self.retain_until}"


class CustomerPayment(models.Model):
    """Whether the customer paid an invoice by transfer: the money goes straight to the
    helper, so Quartier only hears it — the customer reports, the helper confirms."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.CASCADE, related_name="customer_payment"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Payment reminders sent to the customer (at 14 and 28 days): 0, 1 or 2.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # The helper's choice for an unpaid invoice: "" (Quartier reminds), "stopped" (no more
    # reminders), "outside" (the helper pursues it outside Quartier: no more reminders).
    pursuit = models.CharField(
        max_length=10,
        blank=True,
        choices=[("", "Reminders"), ("stopped", "Stopped"), ("outside", "Pursued outside")],
    )
    pursuit_set_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Payment of invoice #{self.invoice_id}"
