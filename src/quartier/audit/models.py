"""The operator audit: one append-only row per thing an operator did to someone's account,
booking, money or standing — who, when, what (the object) and why (the reason).

Low in the layers so every context records into it; it knows users only by the string
`settings.AUTH_USER_MODEL` and objects only by their label and primary key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OperatorAction(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The operator (kept as a name below if the account is ever deleted).",
    )
    actor_name = models.CharField(max_length=254, help_text="The operator's e-mail address.")
    action = models.CharField(max_length=60, help_text="What was done, e.g. helper.suspend.")
    target_type = models.CharField(
        max_length=60, help_text="The object's kind, e.g. accounts.user."
    )
    target_id = models.CharField(max_length=40)
    target_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["action", "created_at"], name="audit_action"),
            models.Index(fields=["actor", "created_at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target_type} #{self.target_id}"
