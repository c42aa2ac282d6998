from collections.abc import Callable
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from quartier.errors import QuartierError

from .appeal_models import SuspensionAppeal
from .models import ApiToken, HelperProfile, ProProfile, StaffMember, User
from .services import helper_reinstate, helper_suspend
from .suspension import suspension_appeal_answer


class SuspendForm(forms.Form):
    reason = forms.CharField(
        max_length=200, help_text="Shown to the helper, who may answer it.", strip=True
    )


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

    @admin.action(description="Suspend selected helpers (taken out of matching), with a reason")
    def suspend(
        self, request: HttpRequest, queryset: QuerySet[HelperProfile]
    ) -> TemplateResponse | None:
        """A person decides, for a reason the helper reads and can answer: an intermediate
        page asks for it before anyone is suspended."""
        profiles = queryset.filter(suspended_at__isnull=True).select_related("user")
        return self._with_reason(request, profiles, "suspend", helper_suspend)

    @admin.action(description="Lift suspension of selected helpers, with a reason")
    def lift_suspension(
        self, request: HttpRequest, queryset: QuerySet[HelperProfile]
    ) -> TemplateResponse | None:
        """Lifting is an operator decision too: the audit keeps why (e.g. the appeal by phone)."""
        profiles = queryset.filter(suspended_at__isnull=False).select_related("user")
        return self._with_reason(request, profiles, "lift_suspension", helper_reinstate)

    def _with_reason(
        self,
        request: HttpRequest,
        profiles: QuerySet[HelperProfile],
        action: str,
        decide: Callable[..., None],
    ) -> TemplateResponse | None:
        """Ask for the reason on an intermediate page, then apply `decide` to each helper."""
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "form": form,
                "profiles": profiles,
                "action": action,
            }
            return TemplateResponse(request, "admin/accounts/suspend.html", context)
        ids = list(profiles.values_list("user_id", flat=True))
        for helper_id in ids:
            decide(
                actor=_operator(request), helper_id=helper_id, reason=form.cleaned_data["reason"]
            )
        done = "suspended" if action == "suspend" else "reinstated"
        self.message_user(request, f"{len(ids)} helper(s) {done}.", messages.SUCCESS)
        return None


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


class AppealAnswerForm(forms.ModelForm[SuspensionAppeal]):
    """The operator's reply; saved through `suspension_appeal_answer`, never directly."""

    class Meta:
        model = SuspensionAppeal
        fields = ["answer", "reinstated"]
        labels = {"reinstated": "Reinstate the helper"}

    def clean_answer(self) -> str:
        answer = str(self.cleaned_data.get("answer") or "").strip()
        if not answer:
            raise forms.ValidationError("Write the answer the helper will read.")
        return answer


@admin.register(SuspensionAppeal)
class SuspensionAppealAdmin(admin.ModelAdmin[SuspensionAppeal]):
    """Helpers' answers to their suspension, open ones first; an operator replies once."""

    form = AppealAnswerForm
    list_display = ["helper", "reason", "created_at", "answered_at", "reinstated"]
    list_filter = [("answered_at", admin.EmptyFieldListFilter), "reinstated"]
    search_fields = ["helper__email", "helper__full_name"]
    readonly_fields = ["helper", "suspended_at", "reason", "text", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        answered = isinstance(obj, SuspensionAppeal) and obj.answered_at is not None
        extra = ["answer", "reinstated", "answered_at", "answered_by"] if answered else []
        return [*self.readonly_fields, *extra]

    def save_model(
        self, request: HttpRequest, obj: SuspensionAppeal, form: object, change: bool
    ) -> None:
        try:
            suspension_appeal_answer(
                actor=_operator(request),
                appeal_id=obj.pk,
                answer=obj.answer,
                reinstate=obj.reinstated,
            )
        except QuartierError as error:
            self.message_user(request, error.detail, messages.ERROR)
