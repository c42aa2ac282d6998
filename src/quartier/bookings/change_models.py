"""A change during the visit: a price line the helper proposes while checked in, and the
customer's answer (see `changes`). Imported by `models`, so it loads with the app's others."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the customer's answer")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LAPSED = "lapsed", _("Lapsed at check-out")


class VisitChange(models.Model):
    """Extra time, work or material, as one price line; billed only once approved (then the
    line is appended to the booking's offer and `price_line` points at it).

    Where a German consumer agrees to it at home with a trader, it is an off-premises
    contract: `withdrawal_right` is set at the proposal (with the trader's identity as
    shown), and the approval records the two declarations and the notice's version.
    """

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(max_length=12)
    label = models.CharField(max_length=120)
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    unit_minor = models.PositiveIntegerField(help_text="Unit price in minor units, VAT incl.")
    vat_rate = models.DecimalField(max_digits=4, decimal_places=1, help_text="Percent.")
    total_minor = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True, help_text="Why, in the helper's words.")
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    urgent_repair = models.BooleanField(
        default=False, help_text="Part of the urgent repair the customer asked for."
    )
    withdrawal_right = models.BooleanField(default=False)
    trader_name = models.CharField(max_length=140, blank=True)
    trader_address = models.CharField(max_length=200, blank=True)
    trader_email = models.CharField(max_length=254, blank=True)
    early_start_requested_at = models.DateTimeField(null=True, blank=True)
    loss_acknowledged_at = models.DateTimeField(null=True, blank=True)
    notice_version = models.CharField(max_length=20, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    price_line = models.OneToOneField(
        "bookings.PriceLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change",
    )

    class Meta:
        ordering = ["booking_id", "proposed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="visit_change_status_known"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="visit_change_quantity"),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__isnull=False)),
                name="visit_change_decided_when_answered",
            ),
            # The early-start request and the acknowledgement come with every approval that
            # carries a withdrawal right (§ 356 Abs. 4 BGB).
            models.CheckConstraint(
                condition=~Q(status="approved", withdrawal_right=True)
                | Q(early_start_requested_at__isnull=False, loss_acknowledged_at__isnull=False),
                name="visit_change_consent_recorded",
            ),
            models.CheckConstraint(
                condition=Q(price_line__isnull=True) | Q(status="approved"),
                name="visit_change_billed_only_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"change #{self.pk} on booking {self.booking_id} ({self.status})"
