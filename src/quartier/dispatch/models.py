"""A request's dispatch, the invitations it sent wave by wave, and its audit trail.

One `Dispatch` per request. Waves add `Invitation` rows (one per helper and dispatch, ever:
a later wave never invites the same helper again). `DispatchEvent` rows are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .states import (
    DeadlineAction,
    DispatchMode,
    DispatchState,
    InvitationSource,
    InvitationStatus,
)


class BatchRound(models.Model):
    """One batch dispatch round: the waiting fixed-price partner cases it took together, and
    what it did with them next to what case-by-case dispatch would have done (batch.py)."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    cases = models.PositiveIntegerField(default=0, help_text="Waiting cases the round took.")
    assigned = models.PositiveIntegerField(
        default=0, help_text="Cases whose assigned helper was invited."
    )
    case_by_case = models.PositiveIntegerField(
        default=0, help_text="Cases one-by-one dispatch would have found a helper for."
    )
    score = models.FloatField(default=0, help_text="Summed ranking score of the assignment.")
    case_by_case_score = models.FloatField(default=0)
    milliseconds = models.PositiveIntegerField(default=0, help_text="How long the round took.")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assigned__lte=F("cases")), name="batch_round_assigned_within_cases"
            ),
        ]

    def __str__(self) -> str:
        return f"batch round #{self.pk}: {self.assigned} of {self.cases} cases assigned"


class Dispatch(models.Model):
    request = models.OneToOneField(
        "jobs.JobRequest", on_delete=models.CASCADE, related_name="dispatch"
    )
    mode = models.CharField(
        max_length=12, choices=DispatchMode.choices, default=DispatchMode.QUOTES
    )
    fixed_price_minor = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Fixed-price mode only: the total price the accepting helper is booked at.",
    )
    fixed_duration_minutes = models.PositiveSmallIntegerField(
        default=120, help_text="Fixed-price mode only: how long the booked slot is."
    )
    on_deadline = models.CharField(
        max_length=16, choices=DeadlineAction.choices, default=DeadlineAction.NOTIFY_CUSTOMER
    )
    # A partner program's job: the partner, and the part of the fixed price it pays.
    partner_id = models.PositiveIntegerField(null=True, blank=True)
    partner_share_minor = models.PositiveIntegerField(default=0)
    # The partner program's visit fee for a visit that could not fix it (None: the market's).
    visit_fee_minor = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=DispatchState.choices, default=DispatchState.ACTIVE
    )
    wave = models.PositiveSmallIntegerField(default=0, help_text="Waves sent so far.")
    last_wave_at = models.DateTimeField(null=True, blank=True)
    next_wave_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next wave is due (active dispatches only)."
    )
    deadline_at = models.DateTimeField(help_text="When dispatch stops inviting.")
    customer_notified_at = models.DateTimeField(null=True, blank=True)
    # Batch dispatch (batch.py): the round that took this waiting case, whether it found the
    # case a helper, and the round's claim while it runs (no other round or wave touches it).
    batch_round = models.ForeignKey(
        BatchRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="dispatches"
    )
    batch_assigned = models.BooleanField(null=True, blank=True)
    batch_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "dispatches"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DispatchState.values), name="dispatch_state_known"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=DispatchMode.values), name="dispatch_mode_known"
            ),
            models.CheckConstraint(
                condition=Q(on_deadline__in=DeadlineAction.values),
                name="dispatch_on_deadline_known",
            ),
            models.CheckConstraint(
                condition=(
                    Q(mode=DispatchMode.FIXED_PRICE, fixed_price_minor__gt=0)
                    | Q(mode=DispatchMode.QUOTES, fixed_price_minor__isnull=True)
                ),
                name="dispatch_fixed_price_iff_fixed_mode",
            ),
            models.CheckConstraint(
                condition=Q(fixed_duration_minutes__gt=0), name="dispatch_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(partner_share_minor=0)
                | Q(partner_id__isnull=False, partner_share_minor__lte=F("fixed_price_minor")),
                name="dispatch_partner_share_within_price",
            ),
            models.CheckConstraint(
                condition=Q(state=DispatchState.ACTIVE) | Q(next_wave_at__isnull=True),
                name="dispatch_only_active_waits_for_a_wave",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_wave_at"], name="dispatch_due_waves"),
            models.Index(fields=["state", "deadline_at"], name="dispatch_due_deadlines"),
        ]

    def __str__(self) -> str:
        return f"dispatch of request #{self.request_id} ({self.state}, wave {self.wave})"


class Invitation(models.Model):
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="invitations")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dispatch_invitations"
    )
    wave = models.PositiveSmallIntegerField()
    rank = models.PositiveIntegerField(help_text="Position in the dispatch's ranking (1 = best).")
    score = models.FloatField(help_text="The ranking score when invited (see matching.ranking).")
    explanation = models.TextField(help_text="Why this helper, in plain words (English).")
    facts = models.JSONField(
        default=dict,
        blank=True,
        help_text="The explanation's figures (distance, rating, answer time), worded anew in "
        "each reader's language.",
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.OPEN
    )
    source = models.CharField(
        max_length=8, choices=InvitationSource.choices, default=InvitationSource.WAVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the helper accepted or declined."
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it left 'open'.")

    class Meta:
        ordering = ["dispatch_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "helper"], name="invitation_once_per_helper"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvitationStatus.values), name="invitation_status_known"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="invitation_rank_from_1"),
            models.CheckConstraint(
                condition=Q(source__in=InvitationSource.values), name="invitation_source_known"
            ),
            models.CheckConstraint(
                condition=Q(status=InvitationStatus.OPEN) | Q(closed_at__isnull=False),
                name="invitation_closed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["helper", "status"], name="invitation_helper_status"),
            models.Index(fields=["dispatch", "status"], name="invitation_dispatch_status"),
        ]

    def __str__(self) -> str:
        return f"invitation #{self.pk}: helper {self.helper_id}, wave {self.wave} ({self.status})"


class DispatchEvent(models.Model):
    """Append-only audit trail: waves sent, answers, and how the dispatch ended."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24)
    wave = models.PositiveSmallIntegerField(default=0)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"dispatch #{self.dispatch_id}: {self.kind} (wave {self.wave})"
