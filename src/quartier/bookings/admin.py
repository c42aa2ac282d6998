from django.contrib import admin

from .models import Booking, Offer


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
