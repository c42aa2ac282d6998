"""Rows of the money that leaves Quartier: payout runs and their items, the partners'
payments into the settlement account, the settlement account's age alerts, and the files a
EUR partner runs to pay helpers directly.

A payout run (one pain.001 file per currency) and its items are written in the transaction
that books them in the ledger; a helper appears at most once per run, and what a run pays is
booked off the helper's payable at once, so the next run cannot pay it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from quartier.money import CURRENCIES

_CURRENCIES = sorted(CURRENCIES)


class PayoutLock(models.Model):
    """One row per currency, updated first by every payout run: runs of a currency queue up
    behind each other (a row lock on PostgreSQL, the write lock on SQLite)."""

    currency = models.CharField(max_length=3, primary_key=True)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "payments"

    def __str__(self) -> str:
        return f"Payout lock {self.currency}"


class PayoutRun(models.Model):
    currency = models.CharField(max_length=3)
    file_name = models.CharField(max_length=80)
    document = models.TextField(help_text="The pain.001.001.09 XML as handed to the bank.")
    total_minor = models.BigIntegerField()
    item_count = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "payments"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__in=_CURRENCIES), name="payout_run_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(total_minor__gt=0), name="payout_run_total_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Payout run #{self.pk} ({self.currency}, {self.item_count} payments)"


class PayoutItem(models.Model):
    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="items")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()
    iban = models.CharField(max_length=34)
    account_holder = models.CharField(max_length=70)

    class Meta:
        app_label = "payments"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "helper"], name="payout_item_once_per_run"),
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="payout_item_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.helper_id}: {self.amount_minor}"


class PartnerPayment(models.Model):
    """A partner paid (part of) its statement into Quartier's settlement account (CHF)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, default="CHF")
    amount_minor = models.BigIntegerField()
    received_on = models.DateField()
    reference = models.CharField(max_length=60, help_text="The bank's reference of the payment.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "payments"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "reference"], name="partner_payment_reference_once"
            ),
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="partner_payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} paid {self.amount_minor} {self.currency} ({self.reference})"


class SettlementAlert(models.Model):
    """Operators were told that the inflow `event_key` has sat `days` days in settlement."""

    event_key = models.CharField(max_length=80)
    days = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "payments"
        constraints = [
            models.UniqueConstraint(fields=["event_key", "days"], name="settlement_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_key} at {self.days} days"


class PartnerAccount(models.Model):
    """The bank account a EUR partner pays helpers from (the debtor of its pain.001 file)."""

    partner = models.OneToOneField("partners.Partner", on_delete=models.CASCADE, related_name="+")
    iban = models.CharField(max_length=34)
    account_holder = models.CharField(max_length=70)
    # The partner's address: its statements name it, and its pain.001 files carry it as the
    # debtor's (a transfer to a helper outside the EEA needs the payer's address).
    street = models.CharField(max_length=70, blank=True)
    house_number = models.CharField(max_length=16, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    town = models.CharField(max_length=35, blank=True)
    country = models.CharField(max_length=2, default="DE")

    class Meta:
        app_label = "payments"

    def __str__(self) -> str:
        return f"{self.account_holder} ({self.iban})"

    def address_lines(self) -> list[str]:
        if not (self.street and self.postcode and self.town):
            return []
        street = f"{self.street} {self.house_number}".strip()
        return [self.account_holder, street, f"{self.country}-{self.postcode} {self.town}"]


class DirectPaymentFile(models.Model):
    """A pain.001 file a EUR partner runs from its own account to pay helpers their shares
    of one month's jobs; once the partner says it ran, the shares are booked as paid."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the statement's month.")
    currency = models.CharField(max_length=3, default="EUR")
    document = models.TextField()
    total_minor = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "payments"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Direct payment file #{self.pk} ({self.month:%Y-%m})"


class DirectPaymentItem(models.Model):
    """One booking's partner share in a direct-payment file: a booking is in one file only."""

    file = models.ForeignKey(DirectPaymentFile, on_delete=models.PROTECT, related_name="items")
    booking_id = models.PositiveBigIntegerField(unique=True)
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()

    class Meta:
        app_label = "payments"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="direct_payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"booking {self.booking_id}: {self.amount_minor}"


class CommissionPause(models.Model):
    """A helper owes more commission than the limit: no new bookings until paid
    (`commission_pause`); payouts are never held by it."""

    helper_id = models.PositiveBigIntegerField(unique=True)
    currency = models.CharField(max_length=3)
    owed_minor = models.BigIntegerField()
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Helper #{self.helper_id} paused ({self.owed_minor} {self.currency} open)"
