"""Back office for dispatch: read-only views of the waves and invitations (writes go through
the services, so counters and the audit trail stay right), with cancel/escalate actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.back_office import ReadOnlyInline
from quartier.errors import QuartierError

from .models import BatchRound, Dispatch, DispatchEvent, Invitation
from .phone_admin import PhonePostingAdmin
from .services import dispatch_cancel, dispatch_escalate


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = readonly_fields = (
        "helper",
        "wave",
        "rank",
        "score",
        "status",
        "created_at",
        "responded_at",
    )


class DispatchEventInline(ReadOnlyInline):
    model = DispatchEvent
    fields = readonly_fields = ("kind", "wave", "invitation", "actor", "note", "created_at")


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Dispatch)
class DispatchAdmin(PhonePostingAdmin):
    list_display = [
        "id",
        "request",
        "mode",
        "state",
        "wave",
        "next_wave_at",
        "deadline_at",
        "on_deadline",
        "created_at",
    ]
    list_filter = ["state", "mode", "on_deadline", "wave"]
    search_fields = ["=request__id", "request__title", "request__customer__email"]
    list_select_related = ["request"]
    raw_id_fields = ["request"]
    readonly_fields = [
        "request",
        "mode",
        "fixed_price_minor",
        "fixed_duration_minutes",
        "on_deadline",
        "state",
        "wave",
        "last_wave_at",
        "next_wave_at",
        "deadline_at",
        "customer_notified_at",
        "batch_round",
        "batch_assigned",
        "batch_claimed_at",
        "created_at",
        "updated_at",
    ]
    inlines = [InvitationInline, DispatchEventInline]
    date_hierarchy = "created_at"
    actions = ["cancel_selected", "escalate_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # dispatches start with their request (services.dispatch_for_request)

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Dispatch], action: Any, verb: str
    ) -> None:
        done = 0
        for dispatch in queryset.order_by("pk"):
            try:
                action(dispatch_id=dispatch.pk, actor=_actor(request), note=f"{verb} by operator")
                done += 1
            except QuartierError as error:
                self.message_user(request, f"#{dispatch.pk}: {error.detail}", messages.WARNING)
        self.message_user(request, f"{done} dispatch(es) {verb}.", messages.SUCCESS)

    @admin.action(description="Cancel the selected active dispatches")
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Dispatch]) -> None:
        self._each(request, queryset, dispatch_cancel, "cancelled")

    @admin.action(description="Escalate the selected active dispatches (partner cases)")
    def escalate_selected(self, request: HttpRequest, queryset: QuerySet[Dispatch]) -> None:
        self._each(request, queryset, dispatch_escalate, "escalated")


@admin.register(BatchRound)
class BatchRoundAdmin(admin.ModelAdmin[BatchRound]):
    """Batch dispatch rounds (batch.py): read-only figures."""

    list_display = [
        "id",
        "started_at",
        "cases",
        "assigned",
        "case_by_case",
        "score",
        "case_by_case_score",
        "milliseconds",
    ]
    date_hierarchy = "started_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = [
        "id",
        "dispatch",
        "helper",
        "wave",
        "rank",
        "score",
        "status",
        "created_at",
        "responded_at",
    ]
    list_filter = ["status", "wave", "dispatch__mode", "dispatch__state"]
    search_fields = ["helper__email", "helper__full_name", "=dispatch__request__id"]
    list_select_related = ["dispatch", "helper"]
    raw_id_fields = ["dispatch", "helper"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting an open invitation would leave the helper's counter raised


@admin.register(DispatchEvent)
class DispatchEventAdmin(admin.ModelAdmin[DispatchEvent]):
    list_display = ["dispatch", "kind", "wave", "invitation", "actor", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["=dispatch__request__id", "note", "actor__email"]
    raw_id_fields = ["dispatch", "invitation", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
