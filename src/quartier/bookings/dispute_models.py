"""Disputes: a problem either party reports with a booking, decided once by an operator."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .models import Booking


class DisputeReason(models.TextChoices):
    NOT_DONE = "not_done", "The work was not done"
    POOR_QUALITY = "poor_quality", "The work was done badly"
    NO_SHOW = "no_show", "The other side did not show up"
    PRICE = "price", "The price is not what was agreed"
    DAMAGE = "damage", "Something was damaged"
    OTHER = "other", "Something else"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Dispute(models.Model):
    """A party reports a problem with a booking; an operator hears both sides and decides
    (written once, with who). At most one open dispute per booking (a partial unique index)."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="disputes")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disputes_opened"
    )
    reason = models.CharField(max_length=20, choices=DisputeReason.choices)
    description = models.TextField(max_length=4000)
    status = models.CharField(
        max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolution = models.TextField(max_length=4000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Part of the decision: the job's price is reduced by this much (0 = no refund).
    refund_minor = models.PositiveIntegerField(
        default=0, help_text="Refund in minor units (Rappen, cents), at most the job's price."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refund_minor=0) | Q(status="resolved"),
                name="dispute_refund_decided",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(status="open"),
                name="dispute_one_open_per_booking",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DisputeStatus.values), name="dispute_status_known"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=DisputeReason.values), name="dispute_reason_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False) & ~Q(resolution=""),
                name="dispute_resolution_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"dispute on booking {self.booking_id} ({self.status})"
