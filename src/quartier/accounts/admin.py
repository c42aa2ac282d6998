from typing import cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ApiToken, HelperProfile, ProProfile, StaffMember, User
from .services import helper_reinstate, helper_suspend


def _operator(request: HttpRequest) -> User:
    """The admin site only lets staff in, so the request's user is a real User."""
    return cast(User, request.user)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]  # stubs assume AbstractUser
    ordering = ["-date_joined"]
    list_display = [
        "email",
        "full_name",
        "is_customer",
        "is_helper",
        "is_pro",
        "is_staff",
        "date_joined",
    ]
    list_filter = [
        "is_customer",
        "is_helper",
        "is_pro",
        "is_staff",
        "is_active",
        "preferred_language",
    ]
    search_fields = ["email", "full_name", "phone"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "phone", "preferred_language")}),
        ("Roles", {"fields": ("is_customer", "is_helper", "is_pro")}),
        ("Back office", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ["groups"]


@admin.register(HelperProfile)
class HelperProfileAdmin(admin.ModelAdmin[HelperProfile]):
    list_display = [
        "user",
        "postcode",
        "locality",
        "country",
        "service_radius_km",
        "hourly_rate_minor",
        "currency",
        "is_available",
        "suspended_at",
    ]
    list_filter = ["country", "is_available", ("suspended_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "postcode", "locality"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["latitude", "longitude", "h3_cell", "created_at", "updated_at"]
    actions = ["suspend", "lift_suspension"]

    @admin.action(description="Suspend selected helpers (taken out of matching)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[HelperProfile]) -> None:
        ids = list(queryset.filter(suspended_at__isnull=True).values_list("user_id", flat=True))
        for helper_id in ids:
            helper_suspend(
                actor=_operator(request), helper_id=helper_id, reason=f"by {request.user}"
            )
        self.message_user(request, f"{len(ids)} helper(s) suspended.", messages.SUCCESS)

    @admin.action(description="Lift suspension of selected helpers")
    def lift_suspension(self, request: HttpRequest, queryset: QuerySet[HelperProfile]) -> None:
        ids = list(queryset.values_list("user_id", flat=True))
        for helper_id in ids:
            helper_reinstate(actor=_operator(request), helper_id=helper_id)
        self.message_user(request, f"{len(ids)} helper(s) reinstated.", messages.SUCCESS)


class StaffInline(admin.TabularInline[StaffMember, ProProfile]):
    model = StaffMember
    extra = 0


@admin.register(ProProfile)
class ProProfileAdmin(admin.ModelAdmin[ProProfile]):
    list_display = ["company_name", "uid", "user", "created_at"]
    search_fields = ["company_name", "uid", "user__email"]
    inlines = [StaffInline]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    search_fields = ["prefix", "user__email"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
