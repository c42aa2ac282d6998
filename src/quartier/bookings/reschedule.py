"""Reschedule: one side proposes a new time for a booked visit, the other accepts or
declines. Accepted, the booking moves — if the helper is still free then: inside their
weekly slots (when they keep any), not absent, and no other live booking of theirs overlaps
(the no-overlap rule: on PostgreSQL also the exclusion constraint). Declined, or lapsed
because the booking moved on, it stays as it was. Only the two parties propose and answer:
a new time needs both of them, so an operator cannot agree for either.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import record_event
from quartier.households.access import acts_for

from .models import AvailabilityException, Booking, WeeklySlot
from .plan_change_models import ProposalStatus, RescheduleProposal
from .plan_models import VisitPlan
from .plan_notices import other_side, tell_plan
from .selectors import get_booking_for, helper_overlapping_bookings
from .states import BookingState

MAX_LENGTH = timedelta(hours=12)
MAX_AHEAD = timedelta(days=365)


def _party(actor: User, booking_id: int) -> Booking:
    booking = get_booking_for(actor, booking_id)
    if not (actor.pk == booking.helper_id or acts_for(actor, booking.customer_id)):
        raise Forbidden("Only the customer and the helper agree on a new time.", code="wrong_party")
    if booking.state != BookingState.BOOKED:
        raise Conflict(
            "Only a visit that has not started can be rescheduled.", code="illegal_state"
        )
    return booking


def _in_weekly_slots(helper_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    """Inside one of the helper's weekly slots (local time); a helper without any is
    flexible. A slot's end of 00:00 is midnight at the end of its day."""
    slots = list(WeeklySlot.objects.filter(helper_id=helper_id))
    if not slots:
        return True
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    end_minutes = end.hour * 60 + end.minute
    if end.date() != start.date():
        if end.date() != start.date() + timedelta(days=1) or end_minutes:
            return False
        end_minutes = 24 * 60
    start_minutes = start.hour * 60 + start.minute
    for slot in slots:
        if slot.weekday != start.weekday():
            continue
        slot_end = slot.end_time.hour * 60 + slot.end_time.minute or 24 * 60
        if (
            slot.start_time.hour * 60 + slot.start_time.minute <= start_minutes
            and end_minutes <= slot_end
        ):
            return True
    return False


def helper_free_check(booking: Booking, starts_at: datetime, ends_at: datetime) -> None:
    """Conflict unless the booked helper is free for [starts_at, ends_at)."""
    helper_free_at(
        helper_id=booking.helper_id, starts_at=starts_at, ends_at=ends_at, besides=booking.pk
    )


def helper_free_at(
    *, helper_id: int, starts_at: datetime, ends_at: datetime, besides: int | None = None
) -> None:
    """Conflict unless the helper is free for [starts_at, ends_at): inside their weekly
    slots, not absent, and no live booking but `besides` overlaps (a series' occurrences)."""
    if not _in_weekly_slots(helper_id, starts_at, ends_at):
        raise Conflict("The helper does not work at that time.", code="helper_unavailable")
    if AvailabilityException.objects.filter(
        helper_id=helper_id, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists():
        raise Conflict("The helper is away at that time.", code="helper_unavailable")
    overlapping = helper_overlapping_bookings(
        helper_id=helper_id, starts_at=starts_at, ends_at=ends_at
    )
    if besides is not None:
        overlapping = overlapping.exclude(pk=besides)
    if overlapping.exists():
        raise Conflict("The helper is already booked at that time.", code="helper_double_booked")


def _times(booking: Booking, starts_at: datetime, ends_at: datetime | None) -> datetime:
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise field_error("starts_at", "Give the time with its time zone.")
    ends_at = ends_at or starts_at + (booking.ends_at - booking.starts_at)
    now = timezone.now()
    if starts_at <= now:
        raise field_error("starts_at", "Choose a time in the future.")
    if starts_at > now + MAX_AHEAD:
        raise field_error("starts_at", "Choose a time within a year.")
    if not timedelta(0) < ends_at - starts_at <= MAX_LENGTH:
        raise field_error("ends_at", "The visit must end after it starts, within 12 hours.")
    if starts_at == booking.starts_at and ends_at == booking.ends_at:
        raise field_error("starts_at", "That is the time already booked.")
    return ends_at


def reschedule_propose(
    *,
    actor: User,
    booking_id: int,
    starts_at: datetime,
    ends_at: datetime | None = None,
    note: str = "",
) -> RescheduleProposal:
    """Propose a new time; the other side is asked. The proposer's earlier open proposal is
    replaced; the other side's must be answered first."""
    booking = _party(actor, booking_id)
    ends_at = _times(booking, starts_at, ends_at)
    helper_free_check(booking, starts_at, ends_at)
    now = timezone.now()
    with transaction.atomic():
        current = RescheduleProposal.objects.filter(
            booking=booking, status=ProposalStatus.PROPOSED
        ).first()
        if current is not None and current.proposed_by_id != actor.pk:
            raise Conflict("Please answer the other side's proposal first.", code="proposal_open")
        if current is not None:
            RescheduleProposal.objects.filter(pk=current.pk, status=ProposalStatus.PROPOSED).update(
                status=ProposalStatus.LAPSED, decided_at=now
            )
        try:
            with transaction.atomic():
                proposal = RescheduleProposal.objects.create(
                    booking=booking,
                    proposed_by=actor,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    from_starts_at=booking.starts_at,
                    note=note.strip()[:500],
                    proposed_at=now,
                )
        except IntegrityError:
            raise Conflict("A new time was proposed meanwhile.", code="proposal_open") from None
        record_event(
            "booking.reschedule_proposed",
            booking_id=booking.pk,
            proposal_id=proposal.pk,
            by_user_id=actor.pk,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        tell_plan(
            booking,
            "reschedule_proposed",
            to=other_side(booking, actor),
            new_start=timezone.localtime(starts_at),
        )
    return proposal


def _open_proposal(booking: Booking) -> RescheduleProposal:
    proposal = RescheduleProposal.objects.filter(
        booking=booking, status=ProposalStatus.PROPOSED
    ).first()
    if proposal is None:
        raise NotFound("No new time is proposed for this booking.", code="no_proposal")
    return proposal


def reschedule_accept(*, actor: User, booking_id: int) -> Booking:
    """The other side accepts: the booking moves to the new time if the helper is still free;
    the confirmation and the "on my way" start over, and reminders come again for it."""
    booking = _party(actor, booking_id)
    proposal = _open_proposal(booking)
    if proposal.proposed_by_id == actor.pk:
        raise Forbidden("The other side answers your proposal.", code="own_proposal")
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.state != BookingState.BOOKED or locked.starts_at != proposal.from_starts_at:
                raise Conflict("The booking has changed since this proposal.", code="illegal_state")
            helper_free_check(locked, proposal.starts_at, proposal.ends_at)
            moved = Booking.objects.filter(
                pk=booking.pk, state=BookingState.BOOKED, starts_at=proposal.from_starts_at
            ).update(starts_at=proposal.starts_at, ends_at=proposal.ends_at)
            if moved != 1 or not _decide(proposal, ProposalStatus.ACCEPTED, actor, now):
                raise Conflict("The booking has changed since this proposal.", code="illegal_state")
            VisitPlan.objects.filter(pk=booking.pk).update(on_my_way_at=None, eta_at=None)
            record_event(
                "booking.rescheduled",
                booking_id=booking.pk,
                request_id=booking.request_id,
                proposal_id=proposal.pk,
                by_user_id=actor.pk,
                from_starts_at=locked.starts_at,
                starts_at=proposal.starts_at,
                ends_at=proposal.ends_at,
            )
            tell_plan(booking, "reschedule_accepted", to=other_side(booking, actor))
    except IntegrityError:  # PostgreSQL's exclusion constraint: a booking raced us
        raise Conflict(
            "The helper is already booked at that time.", code="helper_double_booked"
        ) from None
    booking.refresh_from_db()
    return booking


def _decide(
    proposal: RescheduleProposal, status: ProposalStatus, actor: User, now: datetime
) -> bool:
    return bool(
        RescheduleProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PROPOSED).update(
            status=status, decided_by=actor, decided_at=now
        )
    )


def reschedule_decline(*, actor: User, booking_id: int) -> RescheduleProposal:
    """The other side declines (or the proposer takes it back): the booking stays as it was."""
    booking = _party(actor, booking_id)
    proposal = _open_proposal(booking)
    with transaction.atomic():
        if not _decide(proposal, ProposalStatus.DECLINED, actor, timezone.now()):
            raise Conflict("This proposal was answered meanwhile.", code="illegal_state")
        record_event(
            "booking.reschedule_declined",
            booking_id=booking.pk,
            proposal_id=proposal.pk,
            by_user_id=actor.pk,
        )
        if proposal.proposed_by_id != actor.pk:
            tell_plan(booking, "reschedule_declined", to=other_side(booking, actor))
    proposal.refresh_from_db()
    return proposal
