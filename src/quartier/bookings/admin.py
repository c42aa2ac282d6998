from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AvailabilityException, Booking, Offer, WeeklySlot


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = [
        "id",
        "request",
        "helper",
        "price_minor",
        "currency",
        "status",
        "proposed_start",
        "created_at",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["request__title", "helper__email", "helper__full_name"]
    list_select_related = ["request", "helper"]
    raw_id_fields = ["request", "helper"]
    readonly_fields = ["status"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = [
        "id",
        "request",
        "helper",
        "customer",
        "starts_at",
        "price_minor",
        "currency",
        "cancelled_at",
    ]
    list_filter = ["currency", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["request__title", "helper__email", "customer__email"]
    list_select_related = ["request", "helper", "customer"]
    raw_id_fields = ["request", "offer", "helper", "customer", "cancelled_by"]
    date_hierarchy = "starts_at"


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """View only: writes go through the availability services (merging, helper_changed)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WeeklySlot)
class WeeklySlotAdmin(ReadOnlyAdmin):
    list_display = ["id", "helper", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    search_fields = ["helper__email", "helper__full_name"]
    list_select_related = ["helper"]
    raw_id_fields = ["helper"]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ReadOnlyAdmin):
    list_display = ["id", "helper", "starts_at", "ends_at", "reason", "created_at"]
    search_fields = ["helper__email", "helper__full_name", "reason"]
    list_select_related = ["helper"]
    raw_id_fields = ["helper"]
    date_hierarchy = "starts_at"
