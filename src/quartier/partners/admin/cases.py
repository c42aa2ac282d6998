"""Back office for partner cases: notes and photos read-only; escalation through its service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from quartier.back_office import ReadOnlyInline

from ..cases.escalation import case_escalate
from ..cases.sla import past_sla
from ..models import (
    Case,
    CaseNote,
    EscalationPhoto,
)
from ..states import EscalationReason
from .base import for_each_selected, staff_user


class NoteInline(ReadOnlyInline):
    model = CaseNote
    fields = readonly_fields = ("author_kind", "author", "text", "created_at")


class PhotoInline(ReadOnlyInline):
    model = EscalationPhoto
    fields = readonly_fields = ("image", "uploaded_by", "created_at")


class PastSlaFilter(admin.SimpleListFilter):
    """The operators' queue of cases past a deadline that nobody escalated yet."""

    title = "SLA"
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("past", "Past its SLA, not escalated")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "past":
            return queryset.filter(past_sla(timezone.now()))
        return queryset


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
        PastSlaFilter,
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
        return False  # cases are created through the partner API (cases.services.case_create)

    @admin.action(description="Hand the selected open cases to the partner's technicians")
    def escalate_selected(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        actor = staff_user(request)
        for_each_selected(
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
