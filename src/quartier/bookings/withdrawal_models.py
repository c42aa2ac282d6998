"""The consumer side of a booking made at checkout: which consumer rules apply, the
withdrawal notice as shown, the two declarations with their times, and a withdrawal with its
value compensation (see `withdrawal`). Imported by `models`, so it loads with the app's others."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    """What the customer was told at checkout about their right of withdrawal."""

    #: A German consumer buying from a trader: 14 days (§ 312g, § 355 BGB).
    WITHDRAWAL = "withdrawal", _("Right of withdrawal")
    #: The customer asked for an urgent repair visit (§ 312g Abs. 2 Nr. 11 BGB).
    URGENT = "urgent", _("Urgent repair: no right of withdrawal")
    #: The helper is a private person (Art. 246d EGBGB): consumer rules do not apply.
    PRIVATE = "private", _("Private provider: consumer rules do not apply")
    #: Switzerland: no general right of withdrawal for such contracts.
    NONE = "none", _("No statutory right of withdrawal")


class ConsumerContract(models.Model):
    """One per booking made at checkout. `trader_*` is the helper as the notice named them;
    the declarations are each their own unticked box, given at checkout or later from the
    booking page; `withdrawn_at` is when the withdrawal was received."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, related_name="consumer_contract"
    )
    regime = models.CharField(max_length=10, choices=Regime.choices)
    concluded_at = models.DateTimeField(help_text="The checkout: the withdrawal period's start.")
    trader_name = models.CharField(max_length=140, blank=True)
    trader_address = models.CharField(max_length=200, blank=True)
    trader_email = models.CharField(max_length=254, blank=True)
    notice_version = models.CharField(max_length=20, blank=True)
    early_start_requested_at = models.DateTimeField(null=True, blank=True)
    loss_acknowledged_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    compensation_minor = models.PositiveIntegerField(
        default=0, help_text="Value compensation (§ 357a BGB) for work done before withdrawal."
    )
    refund_minor = models.PositiveIntegerField(
        default=0, help_text="What the withdrawal took off the price (the credit note)."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(regime__in=Regime.values), name="consumer_contract_regime_known"
            ),
            # Declarations and withdrawals exist only where the right does.
            models.CheckConstraint(
                condition=Q(regime="withdrawal")
                | Q(
                    early_start_requested_at__isnull=True,
                    loss_acknowledged_at__isnull=True,
                    withdrawn_at__isnull=True,
                ),
                name="consumer_contract_right_needed",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=False) | Q(compensation_minor=0, refund_minor=0),
                name="consumer_contract_money_on_withdrawal",
            ),
        ]

    def __str__(self) -> str:
        return f"consumer contract of booking {self.booking_id} ({self.regime})"

    @property
    def consented(self) -> bool:
        return self.early_start_requested_at is not None and self.loss_acknowledged_at is not None
