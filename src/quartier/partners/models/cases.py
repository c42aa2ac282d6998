"""Partner cases (a `jobs.JobRequest` plus the partner's own data), notes and escalation photos."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ..states import EscalationReason, NoteAuthor
from .api_keys import PartnerApiKey
from .programs import Partner, Program, ProgramService


class Case(models.Model):
    """A partner case: the request helpers see, plus what only the partner knows."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="cases")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cases")
    service = models.ForeignKey(ProgramService, on_delete=models.PROTECT, related_name="cases")
    request = models.OneToOneField(
        "jobs.JobRequest", on_delete=models.PROTECT, related_name="partner_case"
    )
    reference = models.CharField(max_length=100, help_text="The partner's own reference.")
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    products = models.JSONField(
        default=list, blank=True, help_text="Installed products and diagnostics, for the helper."
    )
    first_offer_due_at = models.DateTimeField()
    completion_due_at = models.DateTimeField()
    first_offer_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(
        max_length=10, choices=EscalationReason.choices, blank=True
    )
    created_by_key = models.ForeignKey(
        PartnerApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "-created_at", "-id"]),
            models.Index(fields=["partner", "reference"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_due_at__gte=F("first_offer_due_at")),
                name="case_sla_ordered",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True, escalation_reason="")
                | Q(escalated_at__isnull=False) & ~Q(escalation_reason=""),
                name="case_escalation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.name} {self.reference} (#{self.request_id})"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    author_kind = models.CharField(max_length=10, choices=NoteAuthor.choices)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.author_kind} on case {self.case_id}"


class EscalationPhoto(models.Model):
    """Photos a helper attaches when asking for a technician."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="partners/escalations/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.image.name)
