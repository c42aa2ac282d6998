"""The in-app inbox and each person's choice of what also comes by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .kinds import Kind


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Rendered in the recipient's language when created: the inbox shows what the e-mail said.
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"


class EmailOptOut(models.Model):
    """A kind the user does not want by e-mail (the in-app inbox always has everything)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} no e-mail for {self.kind}"
