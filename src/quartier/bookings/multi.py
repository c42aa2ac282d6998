"""Bookings on a request for several helpers or several visits (jobs.multi).

Each place (`slot`: helper 1..n, or visit 1..n) holds at most one booking that is not
cancelled; every booking has its own visit, sign-off, invoice and review. The customer
accepts offers one by one until every place is booked:

- `multi_book` takes the request's row lock first, then counts the places taken: two accepts
  racing for the last place queue on the lock and the second gets 409 `request_fully_booked`
  (the database backs it: `one_live_booking_per_slot`, `one_accepted_offer_per_slot`). No
  helper holds two places for the same helpers (`one_live_offer_per_helper`), nor the same
  visit twice; on a multi-day request the same helper may come on several days.
- The request stays open for offers (`offered`) until the last place is booked, then it is
  `booked` and the remaining offers are declined. A visit's place is declined for others
  as soon as it is booked.
- A cancelled booking (by either party) opens its place again: a booked request goes back
  to `requested` (and to `offered` when offers are waiting) and dispatch looks for someone
  for that place only (the booked helpers keep theirs). Cancelling the whole request
  cancels every booking on its own terms (`request_cancel_whole`).
- The first check-in moves a booked request to `in_progress`; when no booking is left to
  do (every one signed off or cancelled) it is `completed`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden
from quartier.events import announce_request_changed
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.jobs.multi import request_helper_booked_set, visit_for
from quartier.jobs.selectors import get_request_for
from quartier.jobs.services import request_transition
from quartier.jobs.states import OPEN_FOR_OFFERS, RequestState

from .bookable import booking_row
from .checkout import CheckoutChoice
from .models import Booking, Offer, OfferStatus
from .notices import tell_booked
from .selectors import helper_overlapping_bookings
from .states import BookingState

#: Bookings that still have work to do (not signed off, not cancelled).
TO_DO = frozenset({BookingState.BOOKED, BookingState.IN_PROGRESS, BookingState.AWAITING_SIGN_OFF})


def single_only(request: JobRequest, what: str) -> None:
    """Paths not (yet) open to requests for several helpers or visits say so (409)."""
    if request.is_multi:
        raise Conflict(
            f"{what} is not available on a request for several helpers or visits; "
            "cancel the booking instead, or ask Quartier's support.",
            code="not_for_multi",
        )


def offer_visit(request: JobRequest, helper: User, starts_at: datetime, ends_at: datetime) -> int:
    """The visit an offer on a multi-day request is for (its time says which), else 0."""
    if not request.visit_count:
        return 0
    visit = visit_for(request, starts_at, ends_at)
    if Booking.objects.filter(request=request, helper=helper, slot=visit).exists():
        raise Conflict("Your booking of this visit has ended.", code="booking_ended")
    if visit in places_taken(request.pk):
        raise Conflict("This visit is already booked.", code="visit_booked")
    return visit


def last_signed_off(booking: Booking) -> bool:
    """Whether closing `booking` closes its request: always on a one-helper request; on a
    multi request only for the booking signed off last (the others' reviews stay open)."""
    if not booking.request.is_multi:
        return True
    latest = (
        Booking.objects.filter(request_id=booking.request_id, state=BookingState.COMPLETED)
        .order_by("-completed_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == booking.pk


def places_taken(request_id: int) -> set[int]:
    return set(
        Booking.objects.filter(request_id=request_id)
        .exclude(state=BookingState.CANCELLED)
        .values_list("slot", flat=True)
    )


def _free_place(request: JobRequest, offer: Offer, taken: set[int]) -> int:
    if len(taken) >= request.slots:
        raise Conflict("Every place on this request is booked.", code="request_fully_booked")
    if request.visit_count:
        if offer.visit in taken:
            raise Conflict("This visit is already booked.", code="visit_booked")
        return offer.visit
    if (
        Booking.objects.filter(request=request, helper_id=offer.helper_id)
        .exclude(state=BookingState.CANCELLED)
        .exists()
    ):
        raise Conflict("This helper is already booked on this request.", code="helper_booked")
    return min(set(range(1, request.slots + 1)) - taken)


def multi_book(offer: Offer, *, actor: User | None, payment: CheckoutChoice) -> Booking:
    """Book `offer` into a free place of its multi request (inside the caller's checks)."""
    try:
        with transaction.atomic():
            request = JobRequest.objects.select_for_update().get(pk=offer.request_id)
            if request.state not in OPEN_FOR_OFFERS:
                raise Conflict(
                    "Every place on this request is booked.", code="request_fully_booked"
                )
            taken = places_taken(request.pk)
            slot = _free_place(request, offer, taken)
            if helper_overlapping_bookings(
                helper_id=offer.helper_id,
                starts_at=offer.proposed_start,
                ends_at=offer.proposed_end,
            ).exists():
                raise Conflict(
                    "The helper is already booked at that time.", code="helper_double_booked"
                )
            accepted = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=OfferStatus.ACCEPTED, slot=slot
            )
            if accepted != 1:
                raise Conflict("This offer is no longer pending.", code="offer_not_pending")
            offer.slot = slot
            booking = booking_row(offer, payment)
            request_helper_booked_set(request_id=request.pk, helper_id=offer.helper_id, booked=True)
            _after_place_taken(request, offer, actor=actor, full=len(taken) + 1 >= request.slots)
            tell_booked(booking, actor=actor)
            return booking
    except IntegrityError:
        raise Conflict(
            "This place was booked meanwhile, or the helper is already booked at that time.",
            code="request_fully_booked",
        ) from None


def _after_place_taken(
    request: JobRequest, offer: Offer, *, actor: User | None, full: bool
) -> None:
    pending = Offer.objects.filter(request=request, status=OfferStatus.PENDING)
    if request.visit_count:
        pending.filter(visit=offer.visit).update(status=OfferStatus.DECLINED)
    if not full:
        announce_request_changed(request.pk)
        return
    pending.update(status=OfferStatus.DECLINED)
    if request.state == RequestState.REQUESTED:
        request_transition(
            request_id=request.pk,
            source=RequestState.REQUESTED,
            target=RequestState.OFFERED,
            actor=actor,
            note="offers waiting",
        )
    request_transition(
        request_id=request.pk,
        source=RequestState.OFFERED,
        target=RequestState.BOOKED,
        actor=actor,
        note=f"every place booked (last: offer #{offer.pk})",
    )


def place_freed(booking: Booking, *, actor: User | None, note: str) -> bool:
    """A booking of a multi request was cancelled (inside the cancelling transaction): its
    place opens again. True when dispatch should look for someone for it."""
    request = JobRequest.objects.select_for_update().get(pk=booking.request_id)
    Offer.objects.filter(pk=booking.offer_id).update(status=OfferStatus.WITHDRAWN)
    request_helper_booked_set(request_id=request.pk, helper_id=booking.helper_id, booked=False)
    if request.state in (RequestState.CANCELLED, RequestState.CLOSED, RequestState.ESCALATED):
        return False
    if request.state in (RequestState.BOOKED, RequestState.IN_PROGRESS):
        request_transition(
            request_id=request.pk,
            source=frozenset({RequestState(request.state)}),
            target=RequestState.REQUESTED,
            actor=actor,
            note=f"a place is open again: {note}"[:200],
        )
        if Offer.objects.filter(request=request, status=OfferStatus.PENDING).exists():
            request_transition(
                request_id=request.pk,
                source=RequestState.REQUESTED,
                target=RequestState.OFFERED,
                actor=actor,
                note="offers waiting",
            )
    return True


def place_ended(booking: Booking, *, actor: User | None, note: str, reopen: bool) -> bool:
    """A booking of a multi request ended because plans failed (a no-show, another helper
    asked for; inside that transaction, after the booking is cancelled). `reopen`: its place
    opens again for dispatch (as a cancellation's); else it stays empty and the request goes
    on with the others, ending when none is left. True when dispatch should look again."""
    if reopen:
        return place_freed(booking, actor=actor, note=note)
    request_helper_booked_set(
        request_id=booking.request_id, helper_id=booking.helper_id, booked=False
    )
    bookings = Booking.objects.filter(request_id=booking.request_id)
    if bookings.filter(state__in=TO_DO).exists():
        return False
    request = JobRequest.objects.select_for_update().get(pk=booking.request_id)
    done = bookings.exclude(state=BookingState.CANCELLED).exists()
    if request.state in (RequestState.BOOKED, RequestState.IN_PROGRESS):
        request_transition(
            request_id=request.pk,
            source=frozenset({RequestState(request.state)}),
            target=RequestState.COMPLETED if done else RequestState.CANCELLED,
            actor=actor,
            note=f"no place left to do: {note}"[:200],
        )
    return False


def request_follow(request_id: int, *, actor: User | None) -> None:
    """After a visit's move on a multi request: the first check-in makes a booked request
    in progress; nothing left to do makes one in progress completed."""
    request = JobRequest.objects.select_for_update().get(pk=request_id)
    bookings = Booking.objects.filter(request_id=request_id)
    started = bookings.exclude(state__in=[BookingState.BOOKED, BookingState.CANCELLED])
    if request.state == RequestState.BOOKED and started.exists():
        request_transition(
            request_id=request_id,
            source=RequestState.BOOKED,
            target=RequestState.IN_PROGRESS,
            actor=actor,
            note="the first helper checked in",
        )
        request.state = RequestState.IN_PROGRESS
    if request.state == RequestState.IN_PROGRESS and not bookings.filter(state__in=TO_DO).exists():
        request_transition(
            request_id=request_id,
            source=RequestState.IN_PROGRESS,
            target=RequestState.COMPLETED,
            actor=actor,
            note="every booking signed off",
        )


def request_cancel_whole(*, actor: User, request_id: int, reason: str = "") -> JobRequest:
    """The customer withdraws a multi request with all its bookings, while no work has
    started: each booking is cancelled on its own terms (a late one costs its fee)."""
    from .services import booking_cancel  # the one cancellation, with its terms

    request = get_request_for(actor, request_id)
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        raise Forbidden("Only the customer can cancel this request.", code="not_your_request")
    bookings = list(
        Booking.objects.filter(request=request).exclude(state=BookingState.CANCELLED).order_by("pk")
    )
    if any(b.state != BookingState.BOOKED for b in bookings):
        raise Conflict(
            "Work on this request has started: cancel the bookings still to come one by one.",
            code="work_started",
        )
    with transaction.atomic():
        request_transition(
            request_id=request.pk,
            source=OPEN_FOR_OFFERS | {RequestState.BOOKED},
            target=RequestState.CANCELLED,
            actor=actor,
            note=reason[:200],
        )
        for booking in bookings:
            booking_cancel(actor=actor, booking_id=booking.pk, reason=reason or "request cancelled")
    return JobRequest.objects.select_related("skill", "customer").get(pk=request.pk)
