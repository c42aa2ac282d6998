"""Stored domain events and which handler has handled which (the outbox)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DomainEvent(models.Model):
    """Something that happened, written in the same transaction as the change itself, so it
    exists if and only if the change committed. Append-only."""

    kind = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class HandledEvent(models.Model):
    """A handler's mark that it handled an event: written in the transaction of the
    handler's own effect, unique per (event, handler) — so each handler acts once."""

    event = models.ForeignKey(DomainEvent, on_delete=models.CASCADE, related_name="handled")
    handler = models.CharField(max_length=100)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="event_handled_once")
        ]

    def __str__(self) -> str:
        return f"{self.handler} handled #{self.event_id}"
