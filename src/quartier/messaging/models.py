"""Conversations between a customer and one helper about one request, and abuse reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Conversation(models.Model):
    """One thread per request and helper; the request's customer is the other party."""

    request = models.ForeignKey(
        "jobs.JobRequest", on_delete=models.CASCADE, related_name="conversations"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "helper"], name="conversation_once")
        ]

    def __str__(self) -> str:
        return f"request #{self.request_id} with helper {self.helper_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages"
    )
    # Stored as shown: contact details written before the booking are masked on the way in.
    body = models.TextField(max_length=2000)
    masked = models.BooleanField(default=False, help_text="Contact details were removed.")
    hidden_at = models.DateTimeField(null=True, blank=True, help_text="Removed by moderation.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id}: {self.body[:40]}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld (message removed)"
    DISMISSED = "dismissed", "Dismissed"


class AbuseReport(models.Model):
    """A participant flags a message; operators work the open ones in the back office."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="abuse_reports"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["status", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"report on message {self.message_id} ({self.status})"


class TeamMessage(models.Model):
    """The one shared conversation of a request for several helpers or visits: its customer
    and every helper booked on it read and write here (messaging/team.py)."""

    request = models.ForeignKey(
        "jobs.JobRequest", on_delete=models.CASCADE, related_name="team_messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    hidden_at = models.DateTimeField(null=True, blank=True, help_text="Removed by moderation.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="team_message_not_empty"),
        ]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.sender_id}: {self.body[:40]}"
