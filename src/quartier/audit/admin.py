"""The operator audit in the back office: browse and filter by operator, action, date and
object, export what the filters show as CSV. Append-only: nobody adds, changes or deletes."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone

from quartier.back_office import ReadOnlyAdmin

from .models import OperatorAction

CSV_COLUMNS = ["when", "operator", "action", "object type", "object id", "object", "reason"]


COLUMNS = (
    "created_at",
    "actor_name",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "reason",
)


class OperatorFilter(admin.SimpleListFilter):
    """Operators who recorded something (not every user of the site)."""

    title = "operator"
    parameter_name = "operator"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = (
            OperatorAction.objects.order_by("actor_name")
            .values_list("actor_name", flat=True)
            .distinct()
        )
        return [(name, name) for name in names]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[OperatorAction]
    ) -> QuerySet[OperatorAction]:
        if self.value():
            return queryset.filter(actor_name=self.value())
        return queryset


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = OperatorAction.objects.order_by("action").values_list("action", flat=True)
        return [(a, a) for a in actions.distinct()]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[OperatorAction]
    ) -> QuerySet[OperatorAction]:
        return queryset.filter(action=self.value()) if self.value() else queryset


def audit_csv(rows: QuerySet[OperatorAction]) -> str:
    """The rows as CSV, newest first, times in UTC (ISO 8601)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows.iterator():
        writer.writerow(
            [
                row.created_at.isoformat(),
                row.actor_name,
                row.action,
                row.target_type,
                row.target_id,
                row.target_label,
                row.reason,
            ]
        )
    return out.getvalue()


@admin.register(OperatorAction)
class OperatorActionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "reason",
    ]
    list_filter = [OperatorFilter, ActionFilter, "created_at", "target_type"]
    search_fields = ["target_id", "target_label", "reason", "actor_name"]
    date_hierarchy = "created_at"
    readonly_fields = COLUMNS
    fields = COLUMNS

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.export_view)
        return [path("export/", view, name="audit_operatoraction_export"), *super().get_urls()]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """What the change list shows with the same filters and search, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(audit_csv(rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="operator-audit-{stamp}.csv"'
        return response
