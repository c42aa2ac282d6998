"""Imported bank files and their credits; a credit is booked, or waits for an operator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from quartier.money import CURRENCIES


class BankFile(models.Model):
    """One imported camt message; its message id is imported once."""

    message_id = models.CharField(max_length=80, unique=True)
    message_type = models.CharField(max_length=10)  # camt.053, camt.054
    account_iban = models.CharField(max_length=34, blank=True)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    credits_new = models.PositiveIntegerField(default=0)
    credits_seen = models.PositiveIntegerField(default=0, help_text="In an earlier file.")

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.message_type} {self.message_id}"


class CreditState(models.TextChoices):
    BOOKED = "booked", "Booked automatically"
    QUEUED = "queued", "Waiting for an operator"
    ASSIGNED = "assigned", "Booked by an operator"
    DISMISSED = "dismissed", "Resolved outside Quartier (returned, not ours)"


class TargetKind(models.TextChoices):
    COMMISSION_INVOICE = "commission_invoice", "Commission invoice (helper pays)"
    PARTNER_STATEMENT = "partner_statement", "Partner statement (partner pays)"
    HELPER = "helper", "Helper's commission (no invoice named)"


class BankCredit(models.Model):
    """A credit on Quartier's account, as the bank reported it (never changed), and what
    became of it (state, target, ledger event)."""

    key = models.CharField(max_length=120, unique=True, help_text="IBAN:bank reference.")
    file = models.ForeignKey(BankFile, on_delete=models.PROTECT, related_name="credits")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    booked_on = models.DateField()
    reference = models.CharField(max_length=35, blank=True)
    remittance = models.CharField(max_length=140, blank=True)
    debtor_name = models.CharField(max_length=140, blank=True)
    debtor_iban = models.CharField(max_length=34, blank=True)
    state = models.CharField(max_length=10, choices=CreditState.choices)
    reason = models.CharField(max_length=200, blank=True, help_text="Why it waits.")
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=80, blank=True)
    ledger_event_key = models.CharField(max_length=80, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-booked_on", "-id"]
        indexes = [models.Index(fields=["state", "booked_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="bank_credit_positive"),
            models.CheckConstraint(
                condition=Q(currency__in=sorted(CURRENCIES)), name="bank_credit_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=CreditState.values), name="bank_credit_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_minor / 100:.2f} {self.currency} on {self.booked_on}"
