"""Offers helpers make on requests, and the bookings accepted offers become."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .states import BookingState


class OfferStatus(models.TextChoices):
    """The labels are the words customers and helpers read (translated in the web's
    catalogue): a declined offer was simply not chosen."""

    PENDING = "pending", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    request = models.ForeignKey("jobs.JobRequest", on_delete=models.PROTECT, related_name="offers")
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


class CancelledBy(models.TextChoices):
    """Who ended a booking, as its events tell it."""

    CUSTOMER = "customer", "Customer"
    HELPER = "helper", "Helper"
    PARTNER = "partner", "Partner"
    OPERATOR = "operator", "Operator"
    SYSTEM = "system", "System"


class Booking(models.Model):
    """A helper's commitment to a time slot for one request.

    No helper holds two overlapping live bookings: on PostgreSQL an exclusion constraint
    (migration 0002) enforces it; on SQLite `booking` services check inside the IMMEDIATE
    write transaction, which serialises all writers.
    """

    request = models.ForeignKey(
        "jobs.JobRequest", on_delete=models.PROTECT, related_name="bookings"
    )
    state = models.CharField(
        max_length=12, choices=BookingState.choices, default=BookingState.BOOKED
    )
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="booking")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_as_helper"
    )
    # Empty while the request's customer has not confirmed a partner's case (see jobs).
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings_as_customer",
        null=True,
        blank=True,
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
            models.CheckConstraint(
                condition=Q(state__in=BookingState.values), name="booking_state_known"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state__in=[BookingState.BOOKED, BookingState.IN_PROGRESS]),
                name="one_live_booking_per_request",
            ),
        ]
        indexes = [models.Index(fields=["helper", "starts_at"])]

    def __str__(self) -> str:
        return f"Booking #{self.pk} (request #{self.request_id})"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklySlot(models.Model):
    """A recurring weekly period in which the helper takes work, in local wall-clock time.

    Local time is the market's (Europe/Zurich for CH, Europe/Berlin for DE: the same UTC
    offsets all year). `end_time` 00:00 means midnight at the end of the day (24:00), so
    00:00-00:00 is the whole day. A helper's slots on one weekday never overlap or touch:
    `availability.weekly_slots_set` merges them. A helper without any slot is flexible.
    """

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_slots"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="00:00 means midnight at the end of the day.")

    class Meta:
        ordering = ["helper", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_slot_weekday_0_6"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")) | Q(end_time=time(0)),
                name="weekly_slot_time_ordered",
            ),
            models.UniqueConstraint(
                fields=["helper", "weekday", "start_time"], name="weekly_slot_once"
            ),
        ]

    def __str__(self) -> str:
        end = "24:00" if self.end_time == time(0) else f"{self.end_time:%H:%M}"
        return f"{Weekday(self.weekday).label} {self.start_time:%H:%M}-{end}"


class AvailabilityException(models.Model):
    """An absence (holiday, appointment): the helper is NOT available in [starts_at, ends_at)."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_exception_time_ordered"
            ),
        ]
        indexes = [models.Index(fields=["helper", "ends_at"], name="avail_exc_helper_ends")]

    def __str__(self) -> str:
        return f"Absence of {self.helper_id} from {self.starts_at:%Y-%m-%d %H:%M}"


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
    """A party reports a problem with a booking; an operator hears both sides and decides.

    At most one open dispute per booking (a partial unique index); the decision is written
    once, with who made it.
    """

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
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
