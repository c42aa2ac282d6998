"""Back office for API keys, stored Idempotency-Key answers, webhook endpoints, the outbox and
the delivery log; writes go through the key and webhook services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.back_office import ReadOnlyInline

from ..integration.keys import api_key_revoke
from ..integration.services import (
    delivery_redeliver,
    endpoint_disable,
    endpoint_enable,
    endpoint_rotate_secret,
)
from ..models import (
    IdempotencyKey,
    PartnerApiKey,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from .base import ReadOnlyAdmin, for_each_selected, staff_user

# --- API keys and idempotency -----------------------------------------------------------------


@admin.register(PartnerApiKey)
class PartnerApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "name", "partner", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["partner", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "partner__name"]
    exclude = ["digest"]
    actions = ["revoke_selected"]

    @admin.action(description="Revoke the selected keys")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[PartnerApiKey]) -> None:
        actor = staff_user(request)
        for_each_selected(
            self,
            request,
            queryset,
            lambda key: api_key_revoke(actor=actor, key_id=key.pk),
            "key(s) revoked",
        )


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["key", "partner", "method", "path", "status_code", "created_at"]
    list_filter = ["partner", "method", "status_code"]
    search_fields = ["key", "path"]


# --- webhooks ---------------------------------------------------------------------------------


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = ["url", "partner", "is_enabled", "disabled_at", "disabled_reason", "created_at"]
    list_filter = ["is_enabled", "partner"]
    search_fields = ["url", "description", "partner__name"]
    # The signing secret stays out of the back office: partners see it on their settings page.
    fields = readonly_fields = (
        "partner",
        "url",
        "description",
        "events",
        "is_enabled",
        "disabled_at",
        "disabled_reason",
        "created_at",
    )
    actions = ["enable_selected", "disable_selected", "rotate_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # partners add endpoints on their settings page (URL checks, secret)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _run(
        self,
        request: HttpRequest,
        queryset: QuerySet[WebhookEndpoint],
        service: Callable[..., WebhookEndpoint],
    ) -> None:
        actor = staff_user(request)
        for_each_selected(
            self,
            request,
            queryset.select_related("partner"),
            lambda e: service(actor=actor, partner=e.partner, endpoint_id=e.pk),
            "endpoint(s) updated",
        )

    @admin.action(description="Enable the selected endpoints")
    def enable_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        self._run(request, queryset, endpoint_enable)

    @admin.action(description="Disable the selected endpoints")
    def disable_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        self._run(request, queryset, endpoint_disable)

    @admin.action(description="Give the selected endpoints a new signing secret")
    def rotate_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        self._run(request, queryset, endpoint_rotate_secret)


class DeliveryInline(ReadOnlyInline):
    model = WebhookDelivery
    fields = readonly_fields = ("endpoint", "status", "attempts", "next_attempt_at")


@admin.register(WebhookMessage)
class WebhookMessageAdmin(ReadOnlyAdmin):
    list_display = ["msg_id", "event_type", "partner", "case", "created_at"]
    list_filter = ["event_type", "partner"]
    search_fields = ["msg_id", "=case__id", "case__reference"]
    list_select_related = ["partner", "case"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


class AttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = readonly_fields = (
        "attempted_at",
        "response_status",
        "error",
        "response_excerpt",
        "duration_ms",
        "manual",
    )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "message",
        "endpoint",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "message__event_type", "endpoint__partner"]
    search_fields = ["message__msg_id", "endpoint__url", "=message__case__id"]
    list_select_related = ["message", "endpoint"]
    date_hierarchy = "created_at"
    inlines = [AttemptInline]
    actions = ["redeliver_selected"]

    @admin.action(description="Redeliver the selected messages (queued for the worker)")
    def redeliver_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        actor = staff_user(request)
        for_each_selected(
            self,
            request,
            queryset.select_related("endpoint__partner"),
            lambda d: delivery_redeliver(actor=actor, partner=d.endpoint.partner, delivery_id=d.pk),
            "redelivery attempt(s) queued",
        )


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "attempted_at", "response_status", "error", "duration_ms", "manual"]
    list_filter = ["manual", "response_status"]
    search_fields = ["delivery__message__msg_id", "error"]
