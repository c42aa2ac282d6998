from django.contrib import admin

from .models import JobRequest, RequestEvent


class RequestEventInline(admin.TabularInline[RequestEvent, JobRequest]):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the audit trail is append-only, written by services


@admin.register(JobRequest)
class RequestAdmin(admin.ModelAdmin[JobRequest]):
    list_display = [
        "id",
        "title",
        "skill",
        "state",
        "postcode",
        "locality",
        "customer",
        "window_start",
        "created_at",
    ]
    list_filter = ["state", "country", "skill__category", "skill"]
    search_fields = ["title", "description", "postcode", "locality", "customer__email"]
    list_select_related = ["skill", "customer"]
    raw_id_fields = ["customer", "booked_helper"]
    # State changes go through the services so the audit trail stays complete.
    readonly_fields = ["state", "latitude", "longitude", "h3_cell", "created_at", "updated_at"]
    inlines = [RequestEventInline]
    date_hierarchy = "created_at"


@admin.register(RequestEvent)
class RequestEventAdmin(admin.ModelAdmin[RequestEvent]):
    list_display = ["request", "from_state", "to_state", "actor", "note", "created_at"]
    list_filter = ["to_state"]
    search_fields = ["request__title", "actor__email", "note"]
    raw_id_fields = ["request", "actor"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
