"""A member's request to delete their account, due after a grace period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AccountDeletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deletions"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When the account is erased, unless cancelled.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(cancelled_at__isnull=True, erased_at__isnull=True),
                name="one_pending_deletion_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Deletion of user #{self.user_id} due {self.due_at:%Y-%m-%d}"
