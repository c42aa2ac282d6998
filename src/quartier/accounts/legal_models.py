"""Which version of which legal text a member accepted, and when (`legal.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LegalAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_acceptances"
    )
    document = models.CharField(max_length=30)
    version = models.CharField(max_length=20, help_text="The text's version: its date.")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "accounts"
        ordering = ["accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="legal_acceptance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.document} {self.version}"
