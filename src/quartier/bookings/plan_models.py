"""Before the visit and when plans change (see `before_visit`, `reschedule`, `no_show`).

Imported by `models`, so these load with the app's others. Confirmed and on-my-way are facts
beside the booking's state machine, not states of it: they change nothing that is legal
(cancel, check-in) and nothing about the helper's standing — they are information.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class VisitPlan(models.Model):
    """One booking's steps before the visit; the row is made at the first step or timer.

    `confirmed_for` is the start the helper confirmed: a rescheduled booking needs a new
    confirmation (it is confirmed only while `confirmed_for == booking.starts_at`)."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, primary_key=True, related_name="plan"
    )
    contacted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_for = models.DateTimeField(null=True, blank=True)
    on_my_way_at = models.DateTimeField(null=True, blank=True)
    eta_at = models.DateTimeField(null=True, blank=True, help_text="Expected arrival.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(on_my_way_at__isnull=True) | Q(eta_at__gte=F("on_my_way_at")),
                name="visit_plan_eta_after_leaving",
            ),
        ]

    def __str__(self) -> str:
        return f"plan of booking {self.booking_id}"


class ReminderKind(models.TextChoices):
    CONTACT = "contact", _("Contact the customer (helper, 12 hours after booking)")
    CONFIRM = "confirm", _("Confirm the visit (helper, 24 hours ahead)")
    VISIT = "visit", _("The visit is coming (customer, 24 hours ahead)")
    UNCONFIRMED = "unconfirmed", _("Not confirmed 12 hours ahead (customer)")


class BookingReminder(models.Model):
    """A reminder sent: unique per booking, kind and start, so each is sent once per time
    the booking is set for (a rescheduled booking is reminded again, for its new time)."""

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    for_start = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["booking_id", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "for_start"], name="booking_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="booking_reminder_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of booking {self.booking_id}"


class CareStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class CareLine(models.Model):
    """A line in customer care's queue: a visit not confirmed 12 hours ahead. An operator
    calls the customer (and the helper) to reassure or help, and notes what was done. It
    says nothing about the helper and changes nothing for them."""

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="care_lines"
    )
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=6, choices=CareStatus.choices, default=CareStatus.OPEN)
    opened_at = models.DateTimeField()
    note = models.TextField(max_length=2000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=Q(status="open"), name="care_line_one_open"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CareStatus.values), name="care_line_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"care line #{self.pk} for booking {self.booking_id} ({self.status})"


from .plan_change_models import (  # noqa: E402,F401 (loads with the app)
    NoShowReport,
    OnSiteSignOff,
    RescheduleProposal,
)
