"""Vetting: the documents that show a helper is who they say (identity), a pro is a real
business (commercial-register extract, liability insurance), and someone working with
children or in care has a clean criminal record (CH Strafregisterauszug, DE erweitertes
Führungszeugnis).

Operators decide each check; which skills need which checks is data they maintain
(`SkillRequirement`). A helper is matched, invited and booked for such a skill only while
every required check is approved and not expired. Documents are private files (served to
operators only) deleted a retention period after the decision; the check row stays.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CheckKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    REGISTER = "register", _("Commercial-register extract")
    INSURANCE = "insurance", _("Liability insurance")
    CRIMINAL_RECORD = "criminal_record", _("Criminal-record extract")


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class SkillRequirement(models.Model):
    """A check every helper needs, approved and valid, to be matched for the skill."""

    skill = models.ForeignKey("catalog.Skill", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skill", "kind"], name="vetting_requirement_once"),
            models.CheckConstraint(
                condition=Q(kind__in=CheckKind.values), name="vetting_requirement_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} needs {self.get_kind_display()}"


class VettingCheck(models.Model):
    """One document a helper handed in for one kind of check, and the operator's decision."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vetting_checks"
    )
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    status = models.CharField(
        max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    issued_on = models.DateField(null=True, blank=True, help_text="The document's date.")
    expires_on = models.DateField(null=True, blank=True, help_text="Valid until (inclusive).")
    note = models.TextField(blank=True, help_text="The helper's note for the operator.")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True, help_text="The operator's reason; the helper reads it.")
    answer = models.TextField(blank=True, help_text="The helper's answer to a rejection.")
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    documents_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CheckKind.values), name="vetting_check_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CheckStatus.values), name="vetting_check_status"
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="vetting_check_expires_after_issue",
            ),
            # One check of a kind waiting for an operator at a time.
            models.UniqueConstraint(
                fields=["helper", "kind"],
                condition=Q(status="pending"),
                name="vetting_one_pending_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["helper", "kind", "status"], name="vetting_helper_kind"),
            models.Index(fields=["status", "expires_on"], name="vetting_status_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.helper} ({self.status})"


def document_path(instance: VettingDocument, filename: str) -> str:
    """A random name: the helper's own file name (often their name) stays out of storage."""
    return f"vetting/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:8]}"


class VettingDocument(models.Model):
    """A file of a check: under MEDIA_ROOT (0600), served to operators only."""

    vetting_check = models.ForeignKey(
        VettingCheck, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(upload_to=document_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The file's name on the helper's device.")
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
