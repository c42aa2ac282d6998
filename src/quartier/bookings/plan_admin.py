"""Back office for the steps before the visit: customer care's queue (visits not confirmed 12
hours ahead) and no-show reports to decide. Decisions go through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.back_office import ReadOnlyAdmin
from quartier.errors import QuartierError

from .before_visit import care_line_close
from .no_show import default_amount, no_show_decide
from .plan_change_models import NoShowDecision, NoShowReport, RescheduleProposal
from .plan_models import BookingReminder, CareLine, CareStatus


@admin.register(CareLine)
class CareLineAdmin(admin.ModelAdmin[CareLine]):
    """Customer care: call the customer (and the helper) to reassure or help, then write
    what you did in *note* and save. The line says nothing about the helper."""

    list_display = ["id", "status", "booking", "reason", "opened_at", "closed_by"]
    list_filter = ["status"]
    search_fields = ["booking__request__title", "booking__customer__email"]
    list_select_related = ["booking", "closed_by"]
    fields = ["booking", "reason", "status", "opened_at", "note", "closed_by", "closed_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("-status", "opened_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        open_line = obj is not None and obj.status == CareStatus.OPEN
        return [f for f in self.fields if f != "note" or not open_line]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CareLine, form: Any, change: bool) -> None:
        if obj.status == CareStatus.OPEN and obj.note.strip():
            assert isinstance(request.user, User)
            try:
                care_line_close(actor=request.user, line_id=obj.pk, note=obj.note)
            except QuartierError as error:
                self.message_user(request, str(error), messages.ERROR)


class NoShowDecisionForm(forms.ModelForm[NoShowReport]):
    verdict = forms.ChoiceField(
        choices=[("", "—"), ("upheld", "Upheld: a no-show"), ("not_upheld", "Not a no-show")],
        required=False,
    )
    amount_minor = forms.IntegerField(
        required=False,
        min_value=0,
        label="Fee / compensation (minor units)",
        help_text="Empty: the late-cancellation fee of the booking (the checkout's figure).",
    )

    class Meta:
        model = NoShowReport
        fields = ["resolution"]


@admin.register(NoShowReport)
class NoShowReportAdmin(admin.ModelAdmin[NoShowReport]):
    """No-show reports: read the facts kept with the report (check-in, confirmation, on my
    way, messages), choose a verdict, write the resolution and save. Upheld, a customer's
    no-show books the fee for the helper, a helper's a compensation for the customer."""

    list_display = ["id", "decision", "absent", "booking", "reported_by", "reported_at"]
    list_filter = ["decision", "absent"]
    search_fields = ["note", "booking__request__title", "reported_by__email"]
    list_select_related = ["booking", "reported_by"]
    form = NoShowDecisionForm
    readonly_fields = [
        "booking",
        "reported_by",
        "absent",
        "note",
        "facts",
        "another_helper",
        "reported_at",
        "default_amount",
        "decision",
        "fee_minor",
        "compensation_minor",
        "decided_by",
        "decided_at",
    ]

    @admin.display(description="Default amount (minor units)")
    def default_amount(self, obj: NoShowReport) -> int:
        return default_amount(obj.booking)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("decision", "reported_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: NoShowReport, form: Any, change: bool) -> None:
        verdict = form.cleaned_data.get("verdict")
        if obj.decision != NoShowDecision.OPEN or not verdict:
            return
        assert isinstance(request.user, User)
        try:
            no_show_decide(
                actor=request.user,
                report_id=obj.pk,
                upheld=verdict == "upheld",
                resolution=obj.resolution,
                amount_minor=form.cleaned_data.get("amount_minor"),
            )
        except QuartierError as error:
            self.message_user(request, str(error), messages.ERROR)


@admin.register(RescheduleProposal)
class RescheduleProposalAdmin(ReadOnlyAdmin):
    list_display = ["id", "booking", "status", "starts_at", "from_starts_at", "proposed_by"]
    list_filter = ["status"]
    list_select_related = ["booking", "proposed_by"]


@admin.register(BookingReminder)
class BookingReminderAdmin(ReadOnlyAdmin):
    list_display = ["id", "booking", "kind", "for_start", "sent_at"]
    list_filter = ["kind"]
