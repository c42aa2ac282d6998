"""Series in the back office: read-only, for answering questions (who agreed, which dates
need a new time and why)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Occurrence, Series


class OccurrenceInline(admin.TabularInline[Occurrence, Series]):
    model = Occurrence
    extra = 0
    fields = ("planned_on", "starts_at", "state", "reason", "booking_id")
    readonly_fields = ("planned_on", "starts_at", "state", "reason", "booking_id")
    can_delete = False


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin[Series]):
    list_display = ["id", "title", "customer", "helper", "frequency", "state", "created_at"]
    list_filter = ["state", "frequency", "country"]
    search_fields = ["title", "customer__email", "helper__email"]
    inlines = [OccurrenceInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Series | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Series | None = None) -> bool:
        return False
