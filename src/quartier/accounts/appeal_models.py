"""A suspended helper's answer to their suspension, and the operator's reply (`suspension.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SuspensionAppeal(models.Model):
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspension_appeals"
    )
    # Which suspension it answers: an appeal per suspension.
    suspended_at = models.DateTimeField()
    reason = models.CharField(max_length=200, help_text="The suspension's reason, as shown.")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reinstated = models.BooleanField(default=False)

    class Meta:
        app_label = "accounts"
        ordering = ["answered_at", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["helper", "suspended_at"], name="suspension_appeal_once"
            )
        ]

    def __str__(self) -> str:
        return f"Appeal of helper #{self.helper_id} ({self.created_at:%Y-%m-%d})"
