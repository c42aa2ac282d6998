"""The provider's side of a booking paid by card or TWINT, as Quartier knows it.

The customer's money never sits with Quartier: it is charged on the helper's connected
account at the provider (a direct charge), and Quartier's commission is the charge's
application fee. These rows keep the provider's references and what was charged, refunded
and disputed; the ledger mirrors the money (`ledger.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConnectedAccount(models.Model):
    """The helper's account at the provider; they finish its onboarding at the provider."""

    helper = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="connected_account"
    )
    account_ref = models.CharField(max_length=64, unique=True)
    charges_enabled = models.BooleanField(default=False, help_text="Set by the provider.")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.account_ref} (helper #{self.helper_id})"


class CardKind(models.TextChoices):
    CARD = "card", _("Card")
    TWINT = "twint", _("TWINT")


class CardChoice(models.Model):
    """The customer pays this booking through the provider. Bookings keeps its method
    "transfer" (cashless, to the helper's account); this row says which provider method.
    A card is saved at checkout (`payment_method_ref`) and charged at settlement; TWINT has
    no saved method and is paid by the customer at settlement."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, related_name="card_choice"
    )
    kind = models.CharField(max_length=5, choices=CardKind.choices)
    account = models.ForeignKey(ConnectedAccount, on_delete=models.PROTECT)
    customer_ref = models.CharField(max_length=64, blank=True)
    payment_method_ref = models.CharField(max_length=64, blank=True)
    setup_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CardKind.values), name="card_choice_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(kind="card") | Q(payment_method_ref=""),
                name="card_choice_only_cards_are_saved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for booking #{self.booking_id}"


class ChargeState(models.TextChoices):
    PENDING = "pending", _("Waiting for the customer")
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Failed")


class ProviderCharge(models.Model):
    """The one charge of a booking at the provider (a payment intent on the helper's
    connected account); `fee_minor` is Quartier's application fee (commission + VAT)."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.PROTECT, related_name="provider_charge"
    )
    kind = models.CharField(max_length=5, choices=CardKind.choices)
    account_ref = models.CharField(max_length=64)
    intent_ref = models.CharField(max_length=64, unique=True, null=True, blank=True)
    currency = models.CharField(max_length=3)
    price_minor = models.PositiveIntegerField(help_text="The job's price the fee is taken on.")
    amount_minor = models.PositiveIntegerField(help_text="What the customer is charged.")
    fee_minor = models.PositiveIntegerField()
    refunded_minor = models.PositiveIntegerField(default=0)
    fee_refunded_minor = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=ChargeState.choices)
    pay_url = models.URLField(max_length=1000, blank=True, help_text="TWINT: where to pay.")
    failure = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(fee_minor__lte=models.F("amount_minor"))
                & Q(refunded_minor__lte=models.F("amount_minor"))
                & Q(fee_refunded_minor__lte=models.F("fee_minor")),
                name="provider_charge_amounts_within",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ChargeState.values), name="provider_charge_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} charge for booking #{self.booking_id} ({self.state})"


class DisputeState(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ProviderDispute(models.Model):
    """A chargeback the provider reported on a charge (decided by the card network)."""

    charge = models.ForeignKey(ProviderCharge, on_delete=models.PROTECT, related_name="disputes")
    dispute_ref = models.CharField(max_length=64, unique=True)
    amount_minor = models.PositiveIntegerField()
    state = models.CharField(max_length=5, choices=DisputeState.choices)
    opened_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.dispute_ref} ({self.state})"


class ProviderEvent(models.Model):
    """A webhook event the provider sent, stored once: a replay of its id changes nothing."""

    event_id = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=80)
    account_ref = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
