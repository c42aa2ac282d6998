"""Back office for money leaving Quartier: payout runs (download, mark executed), partners'
payments into the settlement account (recorded through the service), payout profiles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from quartier.accounts.models import User
from quartier.errors import QuartierError

from .models import PayoutProfile
from .payout_models import DirectPaymentFile, PartnerAccount, PartnerPayment, PayoutRun
from .payouts import payout_run_executed
from .settlement import partner_payment_record


def _operator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@admin.register(PayoutRun)
class PayoutRunAdmin(admin.ModelAdmin[PayoutRun]):
    list_display = ["id", "currency", "item_count", "total_minor", "created_at", "executed_at"]
    list_filter = ["currency", "executed_at"]
    readonly_fields = [
        "currency",
        "file_name",
        "total_minor",
        "item_count",
        "created_at",
        "created_by",
        "executed_at",
        "executed_by",
    ]
    exclude = ["document"]
    actions = ["mark_executed", "download"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Mark executed: the bank has carried out the file")
    def mark_executed(self, request: HttpRequest, queryset: QuerySet[PayoutRun]) -> None:
        done = 0
        for run in queryset.filter(executed_at__isnull=True).order_by("pk"):
            try:
                payout_run_executed(run_id=run.pk, actor=_operator(request))
                done += 1
            except QuartierError as error:
                self.message_user(request, error.detail, messages.ERROR)
        self.message_user(request, f"{done} run(s) marked executed.", messages.SUCCESS)

    @admin.action(description="Download the pain.001 file (one run)")
    def download(self, request: HttpRequest, queryset: QuerySet[PayoutRun]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one run.", messages.ERROR)
            return None
        run = queryset.get()
        response = HttpResponse(run.document, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{run.file_name}"'
        return response


class PartnerPaymentForm(forms.ModelForm[PartnerPayment]):
    class Meta:
        model = PartnerPayment
        fields = ["partner", "currency", "amount_minor", "received_on", "reference"]
        help_texts = {"amount_minor": "In centimes (CHF 1,234.50 = 123450)."}

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.instance = partner_payment_record(
                actor=self.operator,
                partner_id=data["partner"].pk,
                amount_minor=data["amount_minor"],
                received_on=data["received_on"],
                reference=data["reference"],
                currency=data["currency"],
            )
        except QuartierError as error:
            for field, texts in error.errors.items():
                self.add_error(field if field in self.fields else None, texts)
            if not error.errors:
                self.add_error(None, error.detail)
        return data

    operator: User | None = None


@admin.register(PartnerPayment)
class PartnerPaymentAdmin(admin.ModelAdmin[PartnerPayment]):
    """Record a partner's payment: the ledger books it as the form is saved."""

    form = PartnerPaymentForm
    list_display = ["partner", "currency", "amount_minor", "received_on", "reference"]
    list_filter = ["currency"]
    search_fields = ["reference", "partner__name"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.operator = _operator(request)  # type: ignore[attr-defined]
        return form

    def save_model(
        self, request: HttpRequest, obj: PartnerPayment, form: Any, change: bool
    ) -> None:
        """Saved by the service in the form's clean (with its ledger transaction)."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PayoutProfile)
class PayoutProfileAdmin(admin.ModelAdmin[PayoutProfile]):
    list_display = ["user", "legal_name", "country", "vat_status", "mandate_version"]
    list_filter = ["country", "vat_status"]
    search_fields = ["user__email", "legal_name", "iban"]
    readonly_fields = ["mandate_signed_at", "mandate_version"]


admin.site.register(PartnerAccount)
admin.site.register(DirectPaymentFile, list_display=["partner", "month", "total_minor", "paid_at"])
