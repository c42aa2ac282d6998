"""Back office for partners: programs with their services, regions and lessons; helpers'
qualifications; cases; API keys; webhook endpoints and the delivery log.

Writes that carry rules go through the services (escalation, webhooks, keys, qualification)
as actions; the audit rows, outbox and delivery log are read-only here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.back_office import ReadOnlyInline
from quartier.errors import QuartierError

from .cases.escalation import case_escalate
from .integration import services as webhooks
from .integration.keys import api_key_revoke
from .models import (
    Case,
    CaseNote,
    EscalationPhoto,
    IdempotencyKey,
    Lesson,
    Partner,
    PartnerApiKey,
    PartnerMember,
    Program,
    ProgramRegion,
    ProgramService,
    Qualification,
    QualificationEvent,
    QuizAttempt,
    QuizQuestion,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)
from .states import EscalationReason


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the admin requires a signed-in staff user
    return request.user


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Audit trails and logs: look, never touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _each(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    step: Callable[[Any], object],
    verb: str,
) -> None:
    """Run a service per selected row; a refusal is shown, the others go on."""
    done = 0
    for row in queryset.order_by("pk"):
        try:
            step(row)
            done += 1
        except QuartierError as error:
            model_admin.message_user(request, f"#{row.pk}: {error.detail}", messages.WARNING)
    model_admin.message_user(request, f"{done} {verb}.", messages.SUCCESS)


# --- partners and programs --------------------------------------------------------------------


class MemberInline(admin.TabularInline[PartnerMember, Partner]):
    model = PartnerMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ["name", "slug", "contact_email", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline]


class ServiceInline(admin.TabularInline[ProgramService, Program]):
    model = ProgramService
    extra = 0
    fields = [
        "code",
        "name",
        "skill",
        "fixed_price_minor",
        "duration_minutes",
        "payer",
        "partner_share_percent",
        "is_active",
    ]


class RegionInline(admin.TabularInline[ProgramRegion, Program]):
    model = ProgramRegion
    extra = 0


class LessonInline(admin.TabularInline[Lesson, Program]):
    model = Lesson
    extra = 0
    fields = ["position", "title", "pass_mark_percent"]
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = [
        "name",
        "partner",
        "slug",
        "is_active",
        "sla_first_offer_minutes",
        "sla_completion_hours",
        "min_skill_score",
        "min_completed_jobs",
    ]
    list_filter = ["is_active", "partner", "currency"]
    search_fields = ["name", "slug", "partner__name"]
    list_select_related = ["partner"]
    inlines = [ServiceInline, RegionInline, LessonInline]


class QuestionInline(admin.StackedInline[QuizQuestion, Lesson]):
    model = QuizQuestion
    extra = 0


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin[Lesson]):
    list_display = ["title", "program", "position", "pass_mark_percent"]
    list_filter = ["program__partner", "program"]
    search_fields = ["title", "program__name"]
    inlines = [QuestionInline]


# --- qualifications ---------------------------------------------------------------------------


class QualificationEventInline(ReadOnlyInline):
    model = QualificationEvent
    fields = readonly_fields = ("from_state", "to_state", "actor", "note", "created_at")


def _qualification_service(name: str) -> Callable[..., Any] | None:
    """The qualification services (quartier.partners.programs.services), when present."""
    try:
        module = importlib.import_module("quartier.partners.programs.services")
    except ImportError:
        return None
    service: Callable[..., Any] | None = getattr(module, name, None)
    return service


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin[Qualification]):
    list_display = ["helper", "program", "state", "training_passed_at", "decided_by", "updated_at"]
    list_filter = [
        "state",
        "program__partner",
        "program",
        ("training_passed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["helper__email", "helper__full_name", "program__name"]
    list_select_related = ["helper", "program"]
    raw_id_fields = ["helper", "decided_by"]
    readonly_fields = ["state", "training_passed_at", "decided_by", "created_at", "updated_at"]
    inlines = [QualificationEventInline]
    actions = ["approve_selected", "revoke_selected"]

    def _decide(self, request: HttpRequest, queryset: QuerySet[Qualification], name: str) -> None:
        service = _qualification_service(name)
        if service is None:
            self.message_user(
                request, "The qualification services are not available.", messages.ERROR
            )
            return
        actor = _actor(request)
        _each(
            self,
            request,
            queryset,
            lambda q: service(actor=actor, qualification_id=q.pk),
            "qualification(s) updated",
        )

    @admin.action(description="Approve the selected qualifications")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Qualification]) -> None:
        self._decide(request, queryset, "qualification_approve")

    @admin.action(description="Revoke the selected qualifications")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Qualification]) -> None:
        self._decide(request, queryset, "qualification_revoke")


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ["qualification", "lesson", "score_percent", "passed", "created_at"]
    list_filter = ["passed", "lesson__program"]
    search_fields = ["qualification__helper__email"]


# --- cases ------------------------------------------------------------------------------------


class NoteInline(ReadOnlyInline):
    model = CaseNote
    fields = readonly_fields = ("author_kind", "author", "text", "created_at")


class PhotoInline(ReadOnlyInline):
    model = EscalationPhoto
    fields = readonly_fields = ("image", "uploaded_by", "created_at")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    list_display = [
        "id",
        "reference",
        "partner",
        "program",
        "service",
        "request",
        "first_offer_due_at",
        "first_offer_at",
        "completion_due_at",
        "escalation_reason",
        "created_at",
    ]
    list_filter = [
        "partner",
        "program",
        "request__state",
        "escalation_reason",
        ("escalated_at", admin.EmptyFieldListFilter),
        ("first_offer_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["reference", "=id", "=request__id", "contact_email", "contact_name"]
    list_select_related = ["partner", "program", "service", "request"]
    raw_id_fields = ["request", "created_by_key"]
    readonly_fields = [
        "partner",
        "program",
        "service",
        "request",
        "first_offer_due_at",
        "completion_due_at",
        "first_offer_at",
        "escalated_at",
        "escalation_reason",
        "created_by_key",
        "created_at",
    ]
    date_hierarchy = "created_at"
    inlines = [NoteInline, PhotoInline]
    actions = ["escalate_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases are created through the partner API (cases.case_create)

    @admin.action(description="Hand the selected open cases to the partner's technicians")
    def escalate_selected(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        actor = _actor(request)
        _each(
            self,
            request,
            queryset,
            lambda case: case_escalate(
                case_id=case.pk,
                reason=EscalationReason.PARTNER,
                actor=actor,
                note="Escalated by Quartier operations.",
            ),
            "case(s) escalated",
        )


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
        actor = _actor(request)
        _each(
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

    def _run(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint], name: str) -> None:
        service: Callable[..., Any] = getattr(webhooks, name)
        actor = _actor(request)
        _each(
            self,
            request,
            queryset.select_related("partner"),
            lambda e: service(actor=actor, partner=e.partner, endpoint_id=e.pk),
            "endpoint(s) updated",
        )

    @admin.action(description="Enable the selected endpoints")
    def enable_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        self._run(request, queryset, "endpoint_enable")

    @admin.action(description="Disable the selected endpoints")
    def disable_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        self._run(request, queryset, "endpoint_disable")

    @admin.action(description="Give the selected endpoints a new signing secret")
    def rotate_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        self._run(request, queryset, "endpoint_rotate_secret")


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

    @admin.action(description="Redeliver the selected messages now")
    def redeliver_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        actor = _actor(request)
        _each(
            self,
            request,
            queryset.select_related("endpoint__partner"),
            lambda d: webhooks.delivery_redeliver(
                actor=actor, partner=d.endpoint.partner, delivery_id=d.pk
            ),
            "redelivery attempt(s) made",
        )


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "attempted_at", "response_status", "error", "duration_ms", "manual"]
    list_filter = ["manual", "response_status"]
    search_fields = ["delivery__message__msg_id", "error"]
