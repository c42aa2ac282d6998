"""Before the visit: contact, confirmation 24 hours ahead, on my way — and their timers.

After booking the helper calls or messages the customer (their number is on the booking page)
and ticks the step off; without it, the helper is reminded 12 hours after booking. From 24
hours before the start the helper confirms (the customer gets a reminder of the visit, and
word of the confirmation). Without a confirmation 12 hours ahead, the customer is told and
may ask for another helper — only they can: re-dispatch needs their consent — and a line
opens in customer care's queue, where an operator reassures or helps. On the day the helper
taps "on my way" with an ETA the customer sees (no live tracking).

A booking made less than 24 hours ahead has no confirmation timers: the helper just took it.
Each reminder is sent once per start time (`BookingReminder`). None of this changes the
helper's rank, eligibility or anything else about them (compliance issue's guardrails): a
missed step is information for the customer and a prompt for the helper, never discipline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, field_error
from quartier.events import record_event

from .models import Booking
from .plan_models import BookingReminder, CareLine, CareStatus, ReminderKind, VisitPlan
from .plan_notices import CUSTOMER, HELPER, tell_plan
from .selectors import get_booking_for
from .states import BookingState

CONTACT_WITHIN = timedelta(hours=12)
CONFIRM_OPENS = timedelta(hours=24)
UNCONFIRMED_AT = timedelta(hours=12)
ON_MY_WAY_OPENS = timedelta(hours=6)
MAX_ETA_MINUTES = 240
TICK_LIMIT = 200


def plan_of(booking: Booking) -> VisitPlan:
    """The booking's plan row, made on first use (safe when two make it at once)."""
    VisitPlan.objects.bulk_create([VisitPlan(booking_id=booking.pk)], ignore_conflicts=True)
    return VisitPlan.objects.get(pk=booking.pk)


def is_confirmed(booking: Booking, plan: VisitPlan | None) -> bool:
    return plan is not None and plan.confirmed_for == booking.starts_at


def needs_confirmation(booking: Booking) -> bool:
    """Booked at least 24 hours ahead (a later booking is the helper's fresh commitment)."""
    return booking.created_at <= booking.starts_at - CONFIRM_OPENS


def _helper_step(actor: User, booking_id: int) -> Booking:
    """The booked helper's own step on a booked (not yet started) visit; nobody else's."""
    booking = get_booking_for(actor, booking_id)
    if actor.pk != booking.helper_id:
        raise Forbidden("Only the booked helper can do this.", code="wrong_party")
    if booking.state != BookingState.BOOKED:
        label = str(BookingState(booking.state).label).lower()
        raise Conflict(f"This booking is {label}.", code="illegal_state")
    return booking


def _about(booking: Booking, actor: User | None) -> dict[str, object]:
    return {
        "booking_id": booking.pk,
        "request_id": booking.request_id,
        "by_user_id": actor.pk if actor else None,
    }


def booking_contacted(*, actor: User, booking_id: int) -> VisitPlan:
    """The helper ticks off "called or messaged the customer" (once; again is harmless)."""
    booking = _helper_step(actor, booking_id)
    now = timezone.now()
    with transaction.atomic():
        plan = plan_of(booking)
        if VisitPlan.objects.filter(pk=plan.pk, contacted_at__isnull=True).update(contacted_at=now):
            record_event("booking.contacted", **_about(booking, actor), at=now)
    return VisitPlan.objects.get(pk=booking.pk)


def booking_confirm(*, actor: User, booking_id: int) -> Booking:
    """The helper confirms the visit, from 24 hours before the start; the customer is told
    (their reminder of the visit). Confirming again is harmless; an open care line for the
    visit closes itself."""
    booking = _helper_step(actor, booking_id)
    now = timezone.now()
    opens = booking.starts_at - CONFIRM_OPENS
    if now < opens:
        at = timezone.localtime(opens)
        raise Conflict(
            f"Confirmation opens 24 hours before the start, at {at:%d.%m.%Y %H:%M}.",
            code="too_early",
        )
    with transaction.atomic():
        plan = plan_of(booking)
        fresh = VisitPlan.objects.filter(pk=plan.pk).exclude(confirmed_for=booking.starts_at)
        if fresh.update(confirmed_at=now, confirmed_for=booking.starts_at):
            record_event("booking.confirmed", **_about(booking, actor), starts_at=booking.starts_at)
            CareLine.objects.filter(booking=booking, status=CareStatus.OPEN).update(
                status=CareStatus.DONE, closed_at=now, note="The helper confirmed."
            )
            tell_plan(booking, "confirmed", to=CUSTOMER)
    return booking


def booking_on_my_way(*, actor: User, booking_id: int, eta_minutes: int) -> VisitPlan:
    """The helper leaves for the visit: the customer sees the expected arrival (now + ETA).
    Opens 6 hours before the start; tapping again updates the ETA."""
    if isinstance(eta_minutes, bool) or not 1 <= eta_minutes <= MAX_ETA_MINUTES:
        raise field_error(
            "eta_minutes", f"Give the minutes until you arrive (1 to {MAX_ETA_MINUTES})."
        )
    booking = _helper_step(actor, booking_id)
    now = timezone.now()
    if now < booking.starts_at - ON_MY_WAY_OPENS:
        raise Conflict("'On my way' opens 6 hours before the start.", code="too_early")
    eta = now + timedelta(minutes=eta_minutes)
    with transaction.atomic():
        plan = plan_of(booking)
        VisitPlan.objects.filter(pk=plan.pk).update(on_my_way_at=now, eta_at=eta)
        record_event("booking.on_my_way", **_about(booking, actor), eta_at=eta)
        tell_plan(booking, "on_my_way", to=CUSTOMER, eta_at=timezone.localtime(eta))
    return VisitPlan.objects.get(pk=booking.pk)


def may_ask_another_helper(booking: Booking, plan: VisitPlan | None, now: datetime) -> bool:
    """Not confirmed 12 hours ahead (and not started): the customer may ask for another."""
    return (
        booking.state == BookingState.BOOKED
        and needs_confirmation(booking)
        and not is_confirmed(booking, plan)
        and now >= booking.starts_at - UNCONFIRMED_AT
    )


def care_line_close(*, actor: User, line_id: int, note: str) -> CareLine:
    """An operator notes what they did (called the customer, reached the helper) and closes
    the line. Nothing about the helper changes."""
    if not actor.is_staff:
        raise Forbidden("Only operators work the customer-care queue.", code="not_an_operator")
    note = note.strip()[:2000]
    if not note:
        raise field_error("note", "Say what you did for the customer.")
    done = CareLine.objects.filter(pk=line_id, status=CareStatus.OPEN).update(
        status=CareStatus.DONE, note=note, closed_by=actor, closed_at=timezone.now()
    )
    if not done:
        raise Conflict("This line is closed already.", code="illegal_state")
    line = CareLine.objects.get(pk=line_id)
    record_operator_action(actor, "care_line.close", line, note)
    return line


# --- the timers (the worker's tick) ------------------------------------------------------


def _due(now: datetime) -> QuerySet[Booking]:
    """Booked visits still ahead."""
    return Booking.objects.filter(state=BookingState.BOOKED, starts_at__gt=now).order_by(
        "starts_at", "pk"
    )


def _not_reminded(kind: ReminderKind) -> Q:
    reminded = BookingReminder.objects.filter(
        booking=OuterRef("pk"), kind=kind, for_start=OuterRef("starts_at")
    )
    return ~Q(Exists(reminded))


_CONFIRMED = Exists(
    VisitPlan.objects.filter(booking=OuterRef("pk"), confirmed_for=OuterRef("starts_at"))
)
_CONTACTED = Exists(VisitPlan.objects.filter(booking=OuterRef("pk"), contacted_at__isnull=False))
_AHEAD = Q(created_at__lte=F("starts_at") - CONFIRM_OPENS)


def _remind(booking: Booking, kind: ReminderKind, now: datetime) -> bool:
    """Claim the reminder for the booking's start (False: sent already, by another worker)."""
    try:
        with transaction.atomic():
            BookingReminder.objects.create(
                booking=booking, kind=kind, for_start=booking.starts_at, sent_at=now
            )
    except IntegrityError:
        return False
    return True


def _send(booking: Booking, kind: ReminderKind, now: datetime) -> bool:
    with transaction.atomic():
        if not _remind(booking, kind, now):
            return False
        if kind == ReminderKind.CONTACT:
            tell_plan(booking, "contact_reminder", to=HELPER)
        elif kind == ReminderKind.CONFIRM:
            tell_plan(booking, "confirm_reminder", to=HELPER)
        elif kind == ReminderKind.VISIT:
            plan = VisitPlan.objects.filter(pk=booking.pk).first()
            tell_plan(booking, "visit_reminder", to=CUSTOMER, confirmed=is_confirmed(booking, plan))
        else:
            _unconfirmed(booking, now)
    return True


def _unconfirmed(booking: Booking, now: datetime) -> None:
    """Tell the customer what they may do, and open a line in customer care's queue."""
    tell_plan(booking, "unconfirmed", to=CUSTOMER)
    if not CareLine.objects.filter(booking=booking, status=CareStatus.OPEN).exists():
        CareLine.objects.create(
            booking=booking, reason="Not confirmed 12 hours before the visit.", opened_at=now
        )
    record_event("booking.unconfirmed", **_about(booking, None), starts_at=booking.starts_at)


def before_visit_tick(*, now: datetime | None = None, limit: int = TICK_LIMIT) -> dict[str, int]:
    """Send what is due, each reminder once per start time; safe to run in several workers
    and late (what is due is read again). Returns how many of each were sent."""
    now = now or timezone.now()
    due = {
        ReminderKind.CONTACT: _due(now)
        .filter(created_at__lte=now - CONTACT_WITHIN)
        .filter(~_CONTACTED),
        ReminderKind.CONFIRM: _due(now)
        .filter(_AHEAD, starts_at__lte=now + CONFIRM_OPENS)
        .filter(~_CONFIRMED),
        ReminderKind.VISIT: _due(now).filter(
            _AHEAD, customer__isnull=False, starts_at__lte=now + CONFIRM_OPENS
        ),
        ReminderKind.UNCONFIRMED: _due(now)
        .filter(_AHEAD, starts_at__lte=now + UNCONFIRMED_AT)
        .filter(~_CONFIRMED),
    }
    sent: dict[str, int] = {}
    for kind, bookings in due.items():
        count = 0
        for booking in bookings.filter(_not_reminded(kind))[:limit]:
            count += _send(booking, kind, now)
        if count:
            sent[str(kind)] = count
    return sent
