"""Webhooks: a partner's endpoints, the outbox of messages, deliveries and their attempts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..states import DeliveryStatus
from .cases import Case
from .programs import Partner


class WebhookEndpoint(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="endpoints")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=120, blank=True)
    # The Standard Webhooks signing secret ("whsec_" + base64). Needed in clear to sign.
    secret = models.CharField(max_length=100)
    events = models.JSONField(help_text="The event types delivered here.")
    is_enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "id"]

    def __str__(self) -> str:
        return self.url


class WebhookMessage(models.Model):
    """The outbox: one row per event, written in the transaction that made the change."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="messages")
    msg_id = models.CharField(max_length=40, unique=True, help_text="webhook-id")
    event_type = models.CharField(max_length=30)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class WebhookDelivery(models.Model):
    """One message to one endpoint, retried with backoff until delivered or given up."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["message", "endpoint"], name="delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.message_id} -> {self.endpoint_id}: {self.status}"


class WebhookAttempt(models.Model):
    """What happened on one HTTP attempt, shown to the partner in the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(auto_now_add=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    manual = models.BooleanField(default=False, help_text="A redelivery asked for by hand.")

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.response_status or self.error}"
