"""Recurring series: a customer and a helper agree on a job that repeats (weekly, every two
weeks, monthly) at one local time; each occurrence becomes a booking of its own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class SeriesState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for agreement")
    ACTIVE = "active", _("Running")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class OccurrenceState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    NEEDS_TIME = "needs_time", _("Needs a new time")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class Series(models.Model):
    """The terms both sides agreed on. `origin_booking_id` is the booking it repeats (the
    template: skill, address and description come from its request)."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="series_as_customer"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="series_as_helper"
    )
    origin_booking_id = models.PositiveIntegerField()
    skill_slug = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    country = models.CharField(max_length=2)
    postcode = models.CharField(max_length=10)
    street_address = models.CharField(max_length=200)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    first_start = models.DateTimeField(help_text="The first occurrence; its local time repeats.")
    duration_minutes = models.PositiveIntegerField()
    until = models.DateField(null=True, blank=True, help_text="Last day; empty: open-ended.")
    pricing = models.CharField(max_length=6, default="fixed")
    price_minor = models.PositiveIntegerField(help_text="Per occurrence (fixed) or per hour.")
    currency = models.CharField(max_length=3)
    state = models.CharField(
        max_length=10, choices=SeriesState.choices, default=SeriesState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "series"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=SeriesState.values), name="series_state_known"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="series_frequency_known"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0, duration_minutes__lte=720),
                name="series_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(pricing__in=["fixed", "hourly"]), name="series_pricing_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Series #{self.pk} {self.title} ({self.frequency})"


class Occurrence(models.Model):
    """One planned date of a series: booked (with its own request, offer and booking), or
    why not. `planned_on` is the local date the rule gives; a moved visit keeps it."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="occurrences")
    planned_on = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=OccurrenceState.choices)
    booking_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    reason = models.CharField(max_length=40, blank=True, help_text="Why not booked (a code).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_on", "id"]
        constraints = [
            # Two extensions running at once cannot plan the same date twice.
            models.UniqueConstraint(fields=["series", "planned_on"], name="occurrence_once"),
            models.CheckConstraint(
                condition=Q(state__in=OccurrenceState.values), name="occurrence_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state="booked") | Q(booking_id__isnull=False),
                name="occurrence_booked_has_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series_id} on {self.planned_on}: {self.state}"
