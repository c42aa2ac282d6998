"""When plans change: a new time proposed by one side and answered by the other
(`reschedule`), and a no-show reported by one side and decided by an operator (`no_show`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


class RescheduleProposal(models.Model):
    """A new time for a booked visit. Accepted, the booking moves to it (availability and the
    no-overlap rule checked again); declined or lapsed, the booking stays as it was."""

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="reschedules"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    from_starts_at = models.DateTimeField(help_text="The booked start when proposed.")
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booking_id", "proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=Q(status="proposed"), name="reschedule_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="reschedule_time_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="reschedule_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__isnull=False)),
                name="reschedule_decided_when_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"reschedule #{self.pk} of booking {self.booking_id} ({self.status})"


class Absent(models.TextChoices):
    """Who did not show up, as the report says."""

    HELPER = "helper", _("The helper did not come")
    CUSTOMER = "customer", _("The customer was not there")


class NoShowDecision(models.TextChoices):
    OPEN = "open", _("Being looked at")
    UPHELD = "upheld", _("No-show confirmed")
    NOT_UPHELD = "not_upheld", _("Not a no-show")


class NoShowReport(models.Model):
    """One side reports that the other did not show up, with what was known when it did (the
    facts are copied at the report: check-in, on-my-way, confirmation, messages). An operator
    decides once: upheld, a customer's no-show costs them `fee_minor` (to the helper) and a
    helper's no-show gives the customer `compensation_minor` (from Quartier), both through
    the ledger."""

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="no_show_reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    absent = models.CharField(max_length=8, choices=Absent.choices)
    note = models.TextField(max_length=2000, blank=True)
    facts = models.JSONField(default=dict, help_text="What was known at the report.")
    another_helper = models.BooleanField(
        default=False, help_text="The customer asks for another helper (their consent)."
    )
    reported_at = models.DateTimeField()
    decision = models.CharField(
        max_length=10, choices=NoShowDecision.choices, default=NoShowDecision.OPEN
    )
    fee_minor = models.PositiveIntegerField(default=0)
    compensation_minor = models.PositiveIntegerField(default=0)
    resolution = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=Q(decision="open"), name="no_show_one_open"
            ),
            models.CheckConstraint(
                condition=Q(absent__in=Absent.values), name="no_show_absent_known"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=NoShowDecision.values), name="no_show_decision_known"
            ),
            models.CheckConstraint(
                condition=Q(decision="open", decided_at__isnull=True)
                | (~Q(decision="open") & Q(decided_at__isnull=False)),
                name="no_show_decided_when_closed",
            ),
            # Money only with an upheld decision, and only the side's own kind of amount.
            models.CheckConstraint(
                condition=Q(fee_minor=0, compensation_minor=0)
                | Q(decision="upheld", absent="customer", compensation_minor=0)
                | Q(decision="upheld", absent="helper", fee_minor=0),
                name="no_show_amounts_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"no-show report #{self.pk} on booking {self.booking_id} ({self.decision})"


class OnSiteMethod(models.TextChoices):
    SIGNATURE = "signature", _("Signature on the helper's phone")
    CODE = "code", _("One-time code sent to the customer")


class OnSiteSignOff(models.Model):
    """A sign-off given on the helper's phone by a partner's customer who has no account to
    sign off with: a drawn signature with their name, or a one-time code e-mailed to the
    contact address the partner gave (only its hash is kept, for 15 minutes, 5 tries)."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, primary_key=True, related_name="on_site"
    )
    method = models.CharField(max_length=10, choices=OnSiteMethod.choices, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signature = models.TextField(max_length=200_000, blank=True, help_text="SVG path data.")
    code_hash = models.CharField(max_length=128, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | ~Q(method="") & ~Q(signer_name=""),
                name="on_site_sign_off_says_how_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"on-site sign-off of booking {self.booking_id}"
