"""The ledger's rows: accounts, transactions and their entries — appended, never changed.

The database holds what a single row can hold (known currency, non-zero amount, one
transaction per business key, one reversal per transaction); that each transaction sums to
zero per currency is checked by `services.ledger_post` inside the transaction that writes
it, and re-checked over the whole ledger by `quartier ledger check`.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone

from quartier.money import CURRENCIES

_CURRENCIES = sorted(CURRENCIES)


class LedgerImmutable(RuntimeError):
    """Someone tried to change or delete a ledger row: book a reversal instead."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise LedgerImmutable("Ledger rows are never updated; book a reversing transaction.")

    def delete(self) -> NoReturn:
        raise LedgerImmutable("Ledger rows are never deleted; book a reversing transaction.")

    def retention_delete(self) -> int:
        """The one way append-only rows go: documents the law kept, once its retention
        period has ended (`quartier.privacy.retention`). Returns how many rows went."""
        deleted, _ = super().delete()
        return deleted


class AppendOnly(models.Model):
    """Rows that can be inserted and read, nothing else (raw SQL aside)."""

    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerImmutable(f"{type(self).__name__} #{self.pk} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise LedgerImmutable(f"{type(self).__name__} #{self.pk} cannot be deleted.")


class OwnerKind(models.TextChoices):
    QUARTIER = "quartier", "Quartier"
    HELPER = "helper", "Helper"
    CUSTOMER = "customer", "Customer"
    PARTNER = "partner", "Partner"


class AccountKind(models.TextChoices):
    """What an account is for; its accounting nature follows (`chart.NATURE`)."""

    RECEIVABLE = "receivable", "Receivable"
    PAYABLE = "payable", "Payable"
    JOBS_GROSS = "jobs_gross", "Settled jobs, gross (memo)"
    JOBS_GROSS_OFFSET = "jobs_gross_offset", "Settled jobs, offset (memo)"
    COMMISSION = "commission", "Commission revenue"
    VAT = "vat", "VAT payable"
    BANK = "bank", "Bank"
    SETTLEMENT = "settlement", "Settlement account"
    IN_TRANSIT = "in_transit", "Payouts in transit"
    TIPS = "tips", "Tips received (memo)"


class LedgerAccount(AppendOnly):
    code = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    currency = models.CharField(max_length=3)
    owner_kind = models.CharField(max_length=10, choices=OwnerKind.choices)
    # The owner's id in its own context (a user, a partner); not a foreign key, so the books
    # outlive a closed account.
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__in=_CURRENCIES), name="ledger_account_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccountKind.values), name="ledger_account_kind_known"
            ),
            models.CheckConstraint(
                condition=(Q(owner_kind=OwnerKind.QUARTIER) & Q(owner_id__isnull=True))
                | (Q(owner_kind__in=["helper", "customer", "partner"]) & Q(owner_id__isnull=False)),
                name="ledger_account_owner_known",
            ),
        ]
        indexes = [models.Index(fields=["owner_kind", "owner_id"])]

    def __str__(self) -> str:
        return self.code


class LedgerTransaction(AppendOnly):
    event_key = models.CharField(
        max_length=80, unique=True, help_text="The business event booked, e.g. event:42."
    )
    kind = models.CharField(max_length=40)
    memo = models.CharField(max_length=300, blank=True)
    booked_at = models.DateTimeField(help_text="When it happened in business terms.")
    recorded_at = models.DateTimeField(default=timezone.now)
    # What the transaction is about, e.g. `booking:42`, `payout:7`, so a booking's or a
    # payout's entries are found without parsing memos; blank for Quartier's own bookings.
    subject = models.CharField(max_length=40, blank=True, db_index=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["booked_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.event_key})"


class LedgerEntry(AppendOnly):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_minor = models.BigIntegerField(help_text="Debit positive, credit negative.")
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_minor=0), name="ledger_entry_amount_not_zero"
            ),
            models.CheckConstraint(
                condition=Q(currency__in=_CURRENCIES), name="ledger_entry_currency_known"
            ),
        ]
        indexes = [models.Index(fields=["account", "transaction"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_minor:+d} {self.currency}"


class VatStatus(models.TextChoices):
    """A helper's VAT position: it picks the invoice template and the VAT on commission."""

    CH_REGISTERED = "ch_registered", "Switzerland: registered for VAT (MWST)"
    CH_UNREGISTERED = "ch_unregistered", "Switzerland: not registered for VAT"
    DE_REGULAR = "de_regular", "Germany: entrepreneur, regular VAT"
    DE_SMALL = "de_small", "Germany: small business (Kleinunternehmer, § 19 UStG)"
    DE_PRIVATE = "de_private", "Germany: private person, not an entrepreneur"


class ProviderKind(models.TextChoices):
    PRIVATE = "private", "Private person"
    BUSINESS = "business", "Business"


class PayoutProfile(models.Model):
    """What a helper must give before Quartier issues invoices in their name or pays them out.

    A helper without a complete profile can work; their jobs are settled in the ledger, but
    no invoice is issued in their name and nothing is paid out until it is complete.
    """

    user = models.OneToOneField(
        "accounts.User", on_delete=models.PROTECT, related_name="payout_profile"
    )
    provider_kind = models.CharField(
        max_length=10, choices=ProviderKind.choices, default=ProviderKind.PRIVATE
    )
    legal_name = models.CharField(max_length=140, blank=True)
    # Structured address (the QR-bill and pain.001 need street and house number apart).
    street = models.CharField(max_length=70, blank=True)
    house_number = models.CharField(max_length=16, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    town = models.CharField(max_length=35, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="CH or DE")
    iban = models.CharField(max_length=34, blank=True, help_text="Stored compact, upper case.")
    account_holder = models.CharField(max_length=70, blank=True)
    vat_status = models.CharField(max_length=20, choices=VatStatus.choices, blank=True)
    vat_valid_from = models.DateField(null=True, blank=True)
    vat_valid_until = models.DateField(null=True, blank=True)
    uid = models.CharField(
        max_length=20, blank=True, help_text="Swiss UID / MWST number, CHE-123.456.789"
    )
    tax_number = models.CharField(max_length=20, blank=True, help_text="German Steuernummer")
    vat_id = models.CharField(max_length=14, blank=True, help_text="German USt-IdNr, DE123456789")
    mandate_signed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the helper signed the invoicing mandate."
    )
    mandate_version = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_status__in=[*VatStatus.values, ""]),
                name="payout_profile_vat_status_known",
            ),
            models.CheckConstraint(
                condition=Q(country__in=["CH", "DE", ""]), name="payout_profile_country_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Payout profile of user #{self.user_id}"


# Payout runs, partner payments and the settlement account's rows live in payout_models.py
# (kept apart for size); imported here so they load with the app's other models.
from .payout_models import (  # noqa: E402
    CommissionPause,
    DirectPaymentFile,
    DirectPaymentItem,
    PartnerAccount,
    PartnerPayment,
    PayoutItem,
    PayoutLock,
    PayoutRun,
    SettlementAlert,
)

__all__ = [
    "AccountKind",
    "CommissionPause",
    "DirectPaymentFile",
    "DirectPaymentItem",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "OwnerKind",
    "PartnerAccount",
    "PartnerPayment",
    "PayoutItem",
    "PayoutLock",
    "PayoutProfile",
    "PayoutRun",
    "ProviderKind",
    "SettlementAlert",
    "VatStatus",
]
