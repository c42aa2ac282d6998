"""Back office: DAC7 standings (who was told, reminded, held; what is missing), the sellers'
tax reporting data, and the threshold alerts — read-only: they change through services."""

from __future__ import annotations

from django.contrib import admin

from quartier.back_office import ReadOnlyAdmin
from quartier.money import format_money

from .models import Dac7Standing, TaxReportingProfile, ThresholdAlert


@admin.register(ThresholdAlert)
class ThresholdAlertAdmin(ReadOnlyAdmin):
    list_display = ["helper", "code", "year", "amount", "limit", "raised_at", "confirmed_at"]
    list_filter = ["code", "year", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["helper__email", "helper__full_name"]
    list_select_related = ["helper"]

    @admin.display(description="Turnover")
    def amount(self, obj: ThresholdAlert) -> str:
        return format_money(obj.turnover_minor, obj.currency, locale="en")

    @admin.display(description="Limit")
    def limit(self, obj: ThresholdAlert) -> str:
        return format_money(obj.limit_minor, obj.currency, locale="en")


@admin.register(Dac7Standing)
class Dac7StandingAdmin(ReadOnlyAdmin):
    list_display = [
        "user", "notice_sent_at", "reminders_sent", "last_reminder_at", "on_hold",
        "complete_since", "missing", "checked_at",
    ]  # fmt: skip
    list_filter = [("complete_since", admin.EmptyFieldListFilter), "reminders_sent"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user__helper_profile"]

    @admin.display(boolean=True, description="No new bookings (§ 23)")
    def on_hold(self, obj: Dac7Standing) -> bool:
        profile = getattr(obj.user, "helper_profile", None)
        return profile is not None and profile.tax_data_hold_since is not None


@admin.register(TaxReportingProfile)
class TaxReportingProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "is_entity", "residence_countries", "updated_at"]
    list_filter = ["is_entity"]
    search_fields = ["user__email", "user__full_name"]
