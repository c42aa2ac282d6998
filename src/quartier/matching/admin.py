from django.contrib import admin
from django.http import HttpRequest

from .models import MatchIndex


@admin.register(MatchIndex)
class MatchIndexAdmin(admin.ModelAdmin[MatchIndex]):
    """Read-only: rows are derived from profiles, skills, availability and reviews."""

    list_display = [
        "helper",
        "skill",
        "radius_km",
        "rating_mean",
        "review_count",
        "completed_jobs",
        "reliability",
        "response_minutes",
        "open_invitations",
        "updated_at",
    ]
    list_filter = ["skill"]
    search_fields = ["helper__email", "helper__full_name"]
    list_select_related = ["helper", "skill"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
