"""Offers helpers make on requests, and the bookings accepted offers become."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class OfferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Offer(models.Model):
    request = models.ForeignKey("jobs.Request", on_delete=models.PROTECT, related_name="offers")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offers"
    )
    price_minor = models.PositiveIntegerField(help_text="Total price in minor units.")
    currency = models.CharField(max_length=3)
    proposed_start = models.DateTimeField()
    proposed_end = models.DateTimeField()
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The database itself guarantees at most one accepted offer per request.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="one_accepted_offer_per_request",
            ),
            models.UniqueConstraint(fields=["request", "helper"], name="one_offer_per_helper"),
            models.CheckConstraint(
                condition=Q(proposed_end__gt=F("proposed_start")), name="offer_time_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offer_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk} on request #{self.request_id} by {self.helper_id}"


class Booking(models.Model):
    """A helper's commitment to a time slot for one request.

    No helper holds two overlapping live bookings: on PostgreSQL an exclusion constraint
    (migration 0002) enforces it; on SQLite `booking` services check inside the IMMEDIATE
    write transaction, which serialises all writers.
    """

    request = models.OneToOneField("jobs.Request", on_delete=models.PROTECT, related_name="booking")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="booking")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_as_helper"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_as_customer"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    price_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_time_ordered"
            ),
        ]
        indexes = [models.Index(fields=["helper", "starts_at"])]

    def __str__(self) -> str:
        return f"Booking #{self.pk} (request #{self.request_id})"
