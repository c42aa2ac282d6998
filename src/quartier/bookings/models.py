"""Offers helpers make on requests, and the bookings accepted offers become."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .states import BookingState, VisitOutcome
from .weekdays import Weekday


class OfferStatus(models.TextChoices):
    """The labels are the words customers and helpers read: a declined offer was not chosen."""

    PENDING = "pending", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not chosen")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Pricing(models.TextChoices):
    """How the helper prices: a fixed total, or an hourly rate times the hours estimated."""

    FIXED = "fixed", _("Fixed price")
    HOURLY = "hourly", _("By the hour")


class LineKind(models.TextChoices):
    """What a price line is for; § 35a EStG relief covers all but material."""

    LABOUR = "labour", _("Labour")
    TRAVEL = "travel", _("Travel")
    CONSUMABLES = "consumables", _("Consumables")
    MATERIAL = "material", _("Material")


class PaymentMethod(models.TextChoices):
    """How the customer's share is paid: 'partner' when a partner pays the whole price."""

    TRANSFER = "transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    PARTNER = "partner", _("Paid by the partner")


class Offer(models.Model):
    request = models.ForeignKey("jobs.JobRequest", on_delete=models.PROTECT, related_name="offers")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offers"
    )
    price_minor = models.PositiveIntegerField(help_text="Total price in minor units.")
    currency = models.CharField(max_length=3)
    proposed_start = models.DateTimeField()
    proposed_end = models.DateTimeField()
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    pricing = models.CharField(max_length=6, choices=Pricing.choices, default=Pricing.FIXED)
    # A partner program's job: the partner (partners context, by id: it lives above us) and
    # the part of the price it pays; the customer pays the rest.
    partner_id = models.PositiveIntegerField(null=True, blank=True)
    partner_share_minor = models.PositiveIntegerField(default=0)
    visit_fee_minor = models.PositiveIntegerField(default=0)  # if not fixed (unfixed.py)
    # A changed offer: the withdrawn one this offer replaced (offer_changes.py).
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner_share_minor__lte=F("price_minor"))
                & (Q(partner_share_minor=0) | Q(partner_id__isnull=False)),
                name="offer_partner_share_within_price",
            ),
            models.CheckConstraint(
                condition=Q(pricing__in=Pricing.values), name="offer_pricing_known"
            ),
            # The database itself guarantees at most one accepted offer per request.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="one_accepted_offer_per_request",
            ),
            # One live offer per helper and request: a helper who withdrew (or whose offer
            # was not chosen, and the job came back) may make a new one; the old ones stay.
            models.UniqueConstraint(
                fields=["request", "helper"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_live_offer_per_helper",
            ),
            models.CheckConstraint(
                condition=Q(proposed_end__gt=F("proposed_start")), name="offer_time_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offer_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk} on request #{self.request_id} by {self.helper_id}"


class PriceLine(models.Model):
    """One line of an offer's price (and so of the booking made of it); the offer's
    `price_minor` is the sum of its lines' totals, VAT included where there is any."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    label = models.CharField(max_length=120)
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    unit_minor = models.PositiveIntegerField(help_text="Unit price in minor units, VAT incl.")
    vat_rate = models.DecimalField(max_digits=4, decimal_places=1, help_text="Percent.")
    total_minor = models.PositiveIntegerField(help_text="quantity x unit price, rounded.")

    class Meta:
        ordering = ["offer_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "position"], name="price_line_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="price_line_quantity"),
            models.CheckConstraint(
                condition=Q(kind__in=LineKind.values), name="price_line_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lt=100), name="price_line_vat_rate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.quantity} x {self.unit_minor}"


class CancelledBy(models.TextChoices):
    """Who ended a booking, as its events tell it."""

    CUSTOMER = "customer", "Customer"
    HELPER = "helper", "Helper"
    PARTNER = "partner", "Partner"
    OPERATOR = "operator", "Operator"
    SYSTEM = "system", "System"


class Booking(models.Model):
    """A helper's commitment to a time slot for one request.

    No helper holds two overlapping live bookings: on PostgreSQL an exclusion constraint
    (migration 0002) enforces it; on SQLite `booking` services check inside the IMMEDIATE
    write transaction, which serialises all writers. Changes during the visit: change_models.
    """

    request = models.ForeignKey(
        "jobs.JobRequest", on_delete=models.PROTECT, related_name="bookings"
    )
    state = models.CharField(
        max_length=20, choices=BookingState.choices, default=BookingState.BOOKED
    )
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="booking")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_as_helper"
    )
    # Empty while the request's customer has not confirmed a partner's case (see jobs).
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings_as_customer",
        null=True,
        blank=True,
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    price_minor = models.PositiveIntegerField(help_text="The offer's total: the sum of its lines.")
    currency = models.CharField(max_length=3)
    # 100 % the helper's, no commission; the customer may change it until completion.
    tip_minor = models.PositiveIntegerField(default=0)
    payment_method = models.CharField(
        max_length=8, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    partner_id = models.PositiveIntegerField(null=True, blank=True)
    partner_share_minor = models.PositiveIntegerField(default=0)
    visit_fee_minor = models.PositiveIntegerField(
        default=0, help_text="Due if the helper checks out without a fix (visit.py)."
    )
    outcome = models.CharField(
        max_length=10, choices=VisitOutcome.choices, blank=True, help_text="Set at check-out."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="Checked in.")
    checked_out_at = models.DateTimeField(null=True, blank=True)
    minutes_worked = models.PositiveIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True, help_text="Signed off.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancellation_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_time_ordered"
            ),
            models.CheckConstraint(
                condition=Q(state__in=BookingState.values), name="booking_state_known"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state__in=[BookingState.BOOKED, BookingState.IN_PROGRESS]),
                name="one_live_booking_per_request",
            ),
            models.CheckConstraint(
                condition=Q(payment_method__in=PaymentMethod.values),
                name="booking_payment_method_known",
            ),
            models.CheckConstraint(
                condition=Q(partner_share_minor__lte=F("price_minor"))
                & (Q(partner_share_minor=0) | Q(partner_id__isnull=False)),
                name="booking_partner_share_within_price",
            ),
            # The customer pays nothing (not even a tip) by 'partner' exactly when the
            # partner pays it all.
            models.CheckConstraint(
                condition=Q(
                    payment_method="partner", partner_share_minor=F("price_minor"), tip_minor=0
                )
                | (~Q(payment_method="partner") & Q(partner_share_minor__lt=F("price_minor"))),
                name="booking_partner_method_iff_partner_pays_all",
            ),
        ]
        indexes = [models.Index(fields=["helper", "starts_at"])]

    def __str__(self) -> str:
        return f"Booking #{self.pk} (request #{self.request_id})"

    @property
    def customer_share_minor(self) -> int:
        """What the customer owes for the job itself (the tip comes on top)."""
        return self.price_minor - self.partner_share_minor

    @property
    def customer_pays_minor(self) -> int:
        """What the customer pays by `payment_method`: their share plus the tip."""
        return self.customer_share_minor + self.tip_minor


class BookingMove(models.Model):
    """The audit row of one move of a booking: who (None: the system), when, from, to, why."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="moves")
    from_state = models.CharField(max_length=20, choices=BookingState.choices)
    to_state = models.CharField(max_length=20, choices=BookingState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["booking_id", "at", "id"]

    def __str__(self) -> str:
        return f"booking {self.booking_id}: {self.from_state} -> {self.to_state}"


class WeeklySlot(models.Model):
    """A recurring weekly period in which the helper takes work, in local wall-clock time.

    Local time is the market's (Europe/Zurich for CH, Europe/Berlin for DE: the same UTC
    offsets all year). `end_time` 00:00 means midnight at the end of the day (24:00), so
    00:00-00:00 is the whole day. A helper's slots on one weekday never overlap or touch:
    `availability.weekly_slots_set` merges them. A helper without any slot is flexible.
    """

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_slots"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="00:00 means midnight at the end of the day.")

    class Meta:
        ordering = ["helper", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekly_slot_weekday_0_6"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")) | Q(end_time=time(0)),
                name="weekly_slot_time_ordered",
            ),
            models.UniqueConstraint(
                fields=["helper", "weekday", "start_time"], name="weekly_slot_once"
            ),
        ]

    def __str__(self) -> str:
        end = "24:00" if self.end_time == time(0) else f"{self.end_time:%H:%M}"
        return f"{Weekday(self.weekday).label} {self.start_time:%H:%M}-{end}"


class AvailabilityException(models.Model):
    """An absence (holiday, appointment): the helper is NOT available in [starts_at, ends_at)."""

    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="availability_exception_time_ordered"
            ),
        ]
        indexes = [models.Index(fields=["helper", "ends_at"], name="avail_exc_helper_ends")]

    def __str__(self) -> str:
        return f"Absence of {self.helper_id} from {self.starts_at:%Y-%m-%d %H:%M}"


from .change_models import ChangeStatus, VisitChange  # noqa: E402,F401 (loads with the app)
from .counter_models import Counter, CounterStatus  # noqa: E402,F401 (loads with the app)
from .dispute_models import Dispute as Dispute  # noqa: E402 (re-exported: moved there)
from .dispute_models import DisputeReason as DisputeReason  # noqa: E402
from .dispute_models import DisputeStatus as DisputeStatus  # noqa: E402
from .plan_models import BookingReminder, CareLine, VisitPlan  # noqa: E402,F401
from .withdrawal_models import ConsumerContract, Regime  # noqa: E402,F401 (loads with the app)
