from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.back_office import ReadOnlyAdmin
from quartier.errors import QuartierError

from .change_models import VisitChange
from .disputes import dispute_resolve
from .models import (
    AvailabilityException,
    Booking,
    Dispute,
    DisputeStatus,
    Offer,
    PriceLine,
    WeeklySlot,
)
from .phone_admin import PhoneBookingAdmin
from .withdrawal_models import ConsumerContract


class PriceLineInline(admin.TabularInline[PriceLine, Offer]):
    """An offer's price lines, as the helper made them (read-only)."""

    model = PriceLine
    fields = ("position", "kind", "label", "quantity", "unit_minor", "vat_rate", "total_minor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(PhoneBookingAdmin):
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
    readonly_fields = ["status", "pricing", "partner_id", "partner_share_minor", "price_minor"]
    inlines = [PriceLineInline]


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
        "payment_method",
        "tip_minor",
        "partner_share_minor",
        "cancelled_at",
    ]
    list_filter = ["currency", "payment_method", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["request__title", "helper__email", "customer__email"]
    list_select_related = ["request", "helper", "customer"]
    raw_id_fields = ["request", "offer", "helper", "customer", "cancelled_by"]
    date_hierarchy = "starts_at"

    # View only: a booking changes through its services (state machine, overlap check,
    # audit trail, notifications), never by editing its price, helper or times here.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Booking._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
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


@admin.register(VisitChange)
class VisitChangeAdmin(ReadOnlyAdmin):
    """Changes during the visit, with who answered and the consent recorded (the audit)."""

    list_display = ["id", "booking", "label", "total_minor", "status", "withdrawal_right"]
    list_filter = ["status", "withdrawal_right", "urgent_repair"]
    search_fields = ["label", "booking__request__title", "trader_name"]
    list_select_related = ["booking"]
    raw_id_fields = ["booking", "proposed_by", "decided_by", "price_line"]


@admin.register(ConsumerContract)
class ConsumerContractAdmin(ReadOnlyAdmin):
    """What each customer was told at checkout, their declarations and any withdrawal."""

    list_display = ["id", "booking", "regime", "concluded_at", "withdrawn_at", "refund_minor"]
    list_filter = ["regime"]
    search_fields = ["booking__request__title", "trader_name"]
    list_select_related = ["booking"]
    raw_id_fields = ["booking"]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ReadOnlyAdmin):
    list_display = ["id", "helper", "starts_at", "ends_at", "reason", "created_at"]
    search_fields = ["helper__email", "helper__full_name", "reason"]
    list_select_related = ["helper"]
    raw_id_fields = ["helper"]
    date_hierarchy = "starts_at"


class DisputeDecisionForm(forms.ModelForm[Dispute]):
    """The refund is optional: empty means none."""

    refund_minor = forms.IntegerField(
        required=False,
        min_value=0,
        label="Refund (minor units)",
        help_text="Part or all of the job's price, in Rappen / cents; empty = no refund.",
    )

    class Meta:
        model = Dispute
        fields = ["resolution", "refund_minor"]

    def clean_refund_minor(self) -> int:
        return self.cleaned_data.get("refund_minor") or 0


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin[Dispute]):
    """The dispute queue: open ones first. Write the decision in *resolution* and save; it
    is recorded once through the service and both parties are told."""

    list_display = ["id", "status", "reason", "booking", "refund_minor", "opened_by", "created_at"]
    list_filter = ["status", "reason", "created_at"]
    search_fields = ["description", "booking__request__title", "opened_by__email"]
    list_select_related = ["booking", "opened_by"]
    form = DisputeDecisionForm
    fields = [
        "booking",
        "opened_by",
        "reason",
        "description",
        "status",
        "resolution",
        "refund_minor",
        "resolved_by",
        "resolved_at",
        "created_at",
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("-status", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        decided = obj is not None and obj.status != DisputeStatus.OPEN
        decision = ("resolution", "refund_minor")
        return [f for f in self.fields if f not in decision or decided]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Dispute, form: Any, change: bool) -> None:
        if obj.status == DisputeStatus.OPEN and obj.resolution.strip():
            assert isinstance(request.user, User)
            try:
                dispute_resolve(
                    actor=request.user,
                    dispute_id=obj.pk,
                    resolution=obj.resolution,
                    refund_minor=obj.refund_minor,
                )
            except QuartierError as error:
                self.message_user(request, str(error), messages.ERROR)


from . import plan_admin  # noqa: E402,F401 (customer care, no-shows)
