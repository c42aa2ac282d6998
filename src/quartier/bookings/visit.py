"""The visit: check-in, check-out, sign-off — each a compare-and-set move with an audit row.

booked --check-in--> checked in --check-out--> awaiting sign-off --sign-off--> signed off.
Check-in opens 30 minutes before the booked start (an operator may override, with a reason).
Check-out records the time worked (hourly jobs bill it in units: `billing`). "Couldn't fix
it" (`unfixed`) sends a public job back to dispatch and a partner case to its technicians;
the booking then awaits sign-off of its visit fee only, or closes with nothing due.
Sign-off by the customer — or, without it or an open dispute, the worker's tick 48 hours
after check-out — completes the request and records `job.settled`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, field_error
from quartier.events import helper_changed, record_event
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act
from quartier.jobs.services import request_transition
from quartier.jobs.states import RequestState

from .billing import bill_time_worked, minutes_between, preview
from .changes import changes_lapse
from .checkout import cash_recorded
from .models import Booking, DisputeStatus
from .moves import booking_state_set
from .multi import request_follow
from .notices import tell_visit
from .selectors import get_booking_for
from .settlement import settled_payload
from .states import CHECKED_IN, SIGNED_OFF, BookingState, VisitOutcome
from .unfixed import visit_fee_sign_off, visit_not_fixed
from .withdrawal import check_in_gate

CHECK_IN_EARLY = timedelta(minutes=30)
SIGN_OFF_WITHIN = timedelta(hours=48)
TICK_LIMIT = 200
FIXED, NOT_FIXED = "fixed", "not_fixed"


def _party_check(actor: User, booking: Booking, *, helper: bool) -> None:
    allowed = actor.pk == booking.helper_id if helper else acts_for(actor, booking.customer_id)
    if not allowed and not actor.is_staff:
        who = "helper" if helper else "customer"
        raise Forbidden(f"Only the booked {who} can do this.", code="wrong_party")


def _about(booking: Booking) -> dict[str, object]:
    return {"booking_id": booking.pk, "request_id": booking.request_id}


def booking_check_in(*, actor: User, booking_id: int, reason: str = "") -> Booking:
    """The helper arrives, at the earliest 30 minutes before the booked start. An operator
    may check in earlier, saying why (the reason is audited)."""
    booking = get_booking_for(actor, booking_id)
    _party_check(actor, booking, helper=True)
    if booking.state != BookingState.BOOKED:  # the state speaks before the clock
        label = str(BookingState(booking.state).label).lower()
        raise Conflict(f"This booking is {label}; it cannot be checked in.", code="illegal_state")
    now = timezone.now()
    early = now < booking.starts_at - CHECK_IN_EARLY
    reason = reason.strip()
    if early and not actor.is_staff:
        opens = timezone.localtime(booking.starts_at - CHECK_IN_EARLY)
        raise Conflict(
            f"Check-in opens 30 minutes before the start, at {opens:%d.%m.%Y %H:%M}.",
            code="too_early",
        )
    if early and not reason:
        raise field_error("reason", "Say why you check in before the booked time.")
    check_in_gate(booking, now)  # a German consumer's 14 days: only at their request
    with transaction.atomic():
        booking_state_set(booking, CHECKED_IN, actor=actor, reason=reason, at=now, started_at=now)
        if booking.request.is_multi:
            request_follow(booking.request_id, actor=actor)
        else:
            request_transition(
                request_id=booking.request_id,
                source=frozenset({RequestState.BOOKED}),
                target=RequestState.IN_PROGRESS,
                actor=actor,
                note=(f"early check-in: {reason}" if early else "checked in")[:200],
            )
        record_event(
            "booking.started",
            **_about(booking),
            started_at=now,
            by_user_id=actor.pk,
            early_reason=reason if early else "",
        )
        tell_visit(booking, "checked_in", actor=actor)
    return _fresh(booking)


def booking_check_out(
    *, actor: User, booking_id: int, outcome: str = FIXED, note: str = "", paid_cash: bool = False
) -> Booking:
    """The helper leaves: the time worked is recorded (an hourly job's labour line becomes
    the units worked) and the customer is asked to sign off. `not_fixed` sends the request
    on (dispatched again, or escalated for a partner case); only a visit fee is due."""
    booking = get_booking_for(actor, booking_id)
    _party_check(actor, booking, helper=True)
    if outcome not in (FIXED, NOT_FIXED):
        raise field_error("outcome", "Say whether the job is fixed or not_fixed.")
    note = note.strip()[:2000]
    now = timezone.now()
    minutes = minutes_between(booking.started_at or now, now)
    with transaction.atomic():
        if outcome == NOT_FIXED:
            visit_not_fixed(booking, actor=actor, note=note, now=now, minutes=minutes)
            changes_lapse(booking)  # unanswered changes are never billed
            return _fresh(booking)
        cash = cash_recorded(booking) if paid_cash else {}
        booking_state_set(
            booking,
            BookingState.AWAITING_SIGN_OFF,
            actor=actor,
            reason=note[:200],
            at=now,
            checked_out_at=now,
            minutes_worked=minutes,
            outcome=VisitOutcome.FIXED,
            **cash,
        )
        changes_lapse(booking)  # after the move: an approval racing us waits, or is in
        bill = preview(booking, until=now)
        if bill is not None:
            bill_time_worked(booking, bill)
        helper_changed.send(sender=Booking, helper_id=booking.helper_id)
        record_event(
            "booking.checked_out",
            **_about(booking),
            checked_out_at=now,
            outcome=outcome,
            minutes_worked=minutes,
            units=bill.units if bill else None,
            by_user_id=actor.pk,
        )
        tell_visit(booking, "checked_out", actor=actor)
    return _fresh(booking)


def booking_sign_off(*, actor: User, booking_id: int) -> Booking:
    """The customer confirms the work in one tap: the job is settled (invoice, ledger)."""
    booking = get_booking_for(actor, booking_id)
    _party_check(actor, booking, helper=False)
    with transaction.atomic():
        _sign_off(booking, actor=actor, reason="")
        record_delegate_act(actor, booking.customer_id, "booking.sign_off", booking)
    return _fresh(booking)


def sign_off_as(booking: Booking, *, actor: User, reason: str) -> None:
    """Sign off for the customer where they have no account to do it with (on_site: their
    signature or code on the helper's phone); `reason` says how, and is audited."""
    _sign_off(booking, actor=actor, reason=reason)


def _sign_off(booking: Booking, *, actor: User | None, reason: str) -> None:
    now = timezone.now()
    if booking.outcome == VisitOutcome.NOT_FIXED:  # only the visit fee is settled
        with transaction.atomic():
            visit_fee_sign_off(booking, actor=actor, reason=reason, now=now)
        return
    with transaction.atomic():
        booking_state_set(booking, SIGNED_OFF, actor=actor, reason=reason, at=now, completed_at=now)
        if booking.request.is_multi:
            request_follow(booking.request_id, actor=actor)
        else:
            request_transition(
                request_id=booking.request_id,
                source=frozenset({RequestState.IN_PROGRESS}),
                target=RequestState.COMPLETED,
                actor=actor,
                note=reason or "signed off",
            )
        record_event(
            "booking.completed",
            **_about(booking),
            completed_at=now,
            by_user_id=actor.pk if actor else None,
            automatic=actor is None,
        )
        # What money books: read again, the tip and the billed time are final now.
        record_event("job.settled", **settled_payload(booking.pk, settled_at=now))
        tell_visit(booking, "signed_off", actor=actor)


def booking_auto_sign_off(*, now: datetime | None = None, limit: int = TICK_LIMIT) -> int:
    """The tick: sign off what waited 48 hours after check-out without a sign-off or an
    open dispute. Idempotent: a booking already signed off is no longer awaiting."""
    now = now or timezone.now()
    due = (
        Booking.objects.filter(
            state=BookingState.AWAITING_SIGN_OFF, checked_out_at__lte=now - SIGN_OFF_WITHIN
        )
        .exclude(disputes__status=DisputeStatus.OPEN)
        .order_by("checked_out_at", "pk")[:limit]
    )
    done = 0
    for booking in due:
        try:
            _sign_off(booking, actor=None, reason="signed off automatically after 48 hours")
        except Conflict:
            continue  # signed off meanwhile
        done += 1
    return done


def _fresh(booking: Booking) -> Booking:
    booking.refresh_from_db()
    booking.request.refresh_from_db()
    return booking
