"""The operators' queue: bank credits the import could not book, with the reason; an
operator assigns one (an invoice number, a reference, `helper:12`, `partner:7`) or
dismisses it (sent back, not ours), or has the match tried again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.back_office import ReadOnlyAdmin
from quartier.errors import QuartierError

from .models import BankCredit, BankFile, CreditState
from .services import bank_credit_assign, bank_credit_dismiss, bank_credit_rematch


def _operator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class ResolveForm(forms.ModelForm[BankCredit]):
    ASSIGN, DISMISS = "assign", "dismiss"
    resolution = forms.ChoiceField(
        choices=[(ASSIGN, "Book it for …"), (DISMISS, "Dismiss (handled outside Quartier)")]
    )
    target = forms.CharField(
        required=False,
        help_text="A commission invoice number (Q-2026-000123), a reference (RF… / QRR), "
        "helper:<id> or partner:<id>.",
    )
    resolution_note = forms.CharField(required=False, max_length=300, label="Note")

    class Meta:
        model = BankCredit
        fields: list[str] = []

    operator: User | None = None

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.errors or self.operator is None:
            return data
        try:
            if data["resolution"] == self.DISMISS:
                bank_credit_dismiss(
                    actor=self.operator, credit_id=self.instance.pk, note=data["resolution_note"]
                )
            else:
                bank_credit_assign(
                    actor=self.operator,
                    credit_id=self.instance.pk,
                    target=data["target"],
                    note=data["resolution_note"],
                )
        except QuartierError as error:
            for field, texts in error.errors.items():
                name = "resolution_note" if field == "note" else field
                self.add_error(name if name in self.fields else None, texts)
            if not error.errors:
                self.add_error(None, error.detail)
        return data


@admin.register(BankCredit)
class BankCreditAdmin(admin.ModelAdmin[BankCredit]):
    form = ResolveForm
    list_display = ["booked_on", "amount", "reference", "debtor_name", "state", "reason"]
    list_filter = ["state", "currency"]
    search_fields = ["reference", "remittance", "debtor_name", "debtor_iban", "target_label"]
    actions = ["rematch"]
    readonly_fields = [
        "amount",
        "booked_on",
        "reference",
        "remittance",
        "debtor_name",
        "debtor_iban",
        "state",
        "reason",
        "target_kind",
        "target_label",
        "ledger_event_key",
        "resolved_by",
        "resolved_at",
        "note",
        "file",
        "key",
    ]

    @admin.display(description="Amount")
    def amount(self, obj: BankCredit) -> str:
        return f"{obj.currency} {obj.amount_minor / 100:,.2f}"

    def get_queryset(self, request: HttpRequest) -> QuerySet[BankCredit]:
        return super().get_queryset(request).select_related("file", "resolved_by")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.operator = _operator(request)  # type: ignore[attr-defined]
        return form

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        extra = ["resolution", "target", "resolution_note"]
        queued = obj is not None and obj.state == CreditState.QUEUED
        return [*self.readonly_fields, *(extra if queued else [])]

    def save_model(self, request: HttpRequest, obj: BankCredit, form: Any, change: bool) -> None:
        """Saved by the service in the form's clean (with its ledger transaction)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Try the automatic match again")
    def rematch(self, request: HttpRequest, queryset: QuerySet[BankCredit]) -> None:
        booked = 0
        for credit in queryset.filter(state=CreditState.QUEUED).order_by("pk"):
            try:
                row = bank_credit_rematch(actor=_operator(request), credit_id=credit.pk)
            except QuartierError as error:
                self.message_user(request, error.detail, messages.ERROR)
                continue
            booked += row.state == CreditState.BOOKED
        self.message_user(request, f"{booked} credit(s) booked.", messages.SUCCESS)


@admin.register(BankFile)
class BankFileAdmin(ReadOnlyAdmin):
    list_display = ["message_id", "message_type", "account_iban", "imported_at", "credits_new"]
    list_filter = ["message_type"]
    search_fields = ["message_id"]
