"""Offers and bookings: every move of the job after posting, each a checked transition."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden
from quartier.events import announce_request_changed, helper_changed, record_event
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act
from quartier.jobs.coverage import helper_can_serve
from quartier.jobs.masking import mask_contact_details
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for
from quartier.jobs.services import request_participant_add, request_transition
from quartier.jobs.states import OPEN_FOR_OFFERS, RequestState

from .bookable import booking_row, helper_takes_bookings_check
from .cancellation import request_after_cancel
from .changes import Trader, changes_lapse
from .checkout import CheckoutChoice, checkout_choice
from .counter_models import CounterStatus
from .counter_notices import tell_counter_answer
from .counter_rules import counters_lapse, uncountered_check
from .models import Booking, CancelledBy, Offer, OfferStatus, PaymentMethod
from .moves import booking_state_set
from .multi import last_signed_off, multi_book, offer_visit
from .notices import tell_booked, tell_cancelled, tell_checkout, tell_offer
from .offer_terms import FIXED_PRICE, OfferTerms, offer_time_check, price_lines_save
from .selectors import get_booking_for, get_offer_for, helper_overlapping_bookings
from .states import LIVE, BookingState
from .visit import booking_check_in, booking_check_out
from .withdrawal import booking_withdraw, consumer_terms, contract_of, contract_record, withdrawable


def _request_to_offer_on(actor: User, request_id: int) -> JobRequest:
    """The request, if the helper may make an offer on it now."""
    request = get_request_for(actor, request_id)
    if acts_for(actor, request.customer_id):
        raise Forbidden("You cannot make an offer on your own request.", code="own_request")
    if not helper_can_serve(helper=actor, request=request):
        raise Forbidden("This request is outside your skills or service area.", code="cannot_serve")
    if request.state not in OPEN_FOR_OFFERS:
        raise Conflict("This request no longer takes offers.", code="illegal_state")
    if request.visit_count:  # a multi-day request: checked per visit (offer_visit)
        return request
    if Booking.objects.filter(request=request, helper=actor).exists():  # cancelled, replaced
        raise Conflict("Your booking on this request has ended.", code="booking_ended")
    return request


def offer_create(
    *,
    actor: User,
    request_id: int,
    proposed_start: datetime,
    proposed_end: datetime,
    price_minor: int | None = None,
    message: str = "",
    tell_customer: bool = True,
    terms: OfferTerms = FIXED_PRICE,
    replaces: Offer | None = None,
) -> Offer:
    """A helper who can serve the request quotes a price (a total, or lines: `pricing`) and
    a time in its window (and visit: multi.py); contact details in the message are masked.
    `tell_customer=False`: booked at once. One live offer per helper (`replaces`: changed)."""
    request = _request_to_offer_on(actor, request_id)
    if replaces is None:  # a changed offer or a counter's agreed one checks for itself
        uncountered_check(request_id=request.pk, helper_id=actor.pk)
    lines = terms.checked_lines(request, price_minor)
    offer_time_check(request, proposed_start, proposed_end)
    visit = offer_visit(request, actor, proposed_start, proposed_end)
    total = sum(line.total_minor for line in lines)
    terms.check_partner_share(total)
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                request=request,
                helper=actor,
                price_minor=total,
                currency=request.currency,
                proposed_start=proposed_start,
                proposed_end=proposed_end,
                message=mask_contact_details(message.strip())[0],
                pricing=terms.pricing,
                partner_id=terms.partner_id,
                partner_share_minor=terms.partner_share_minor,
                visit_fee_minor=terms.visit_fee(request, total),
                replaces=replaces,
                visit=visit,
            )
            price_lines_save(offer, lines)
            request_participant_add(request_id=request.pk, helper_id=actor.pk)
            helper_changed.send(sender=Offer, helper_id=actor.pk)  # response time moved
            if tell_customer:
                tell_offer(offer)
            announce_request_changed(request.pk)
            if request.state == RequestState.REQUESTED:
                request_transition(
                    request_id=request.pk,
                    source=frozenset({RequestState.REQUESTED}),
                    target=RequestState.OFFERED,
                    actor=actor,
                    note=f"first offer #{offer.pk}",
                )
    except IntegrityError:
        raise Conflict(
            "You already have an open offer on this request: change it instead.",
            code="duplicate_offer",
        ) from None
    return offer


def offer_accept(
    *,
    actor: User,
    offer_id: int,
    payment_method: str = PaymentMethod.TRANSFER,
    tip_minor: int = 0,
    trader: Trader | None = None,
    early_start: bool = False,
    loss_acknowledged: bool = False,
    by_phone: str = "",
) -> Booking:
    """The customer (or their household delegate) books one offer at checkout, choosing
    how to pay their share (transfer or cash) and an optional tip: the request becomes
    booked and other offers declined. The customer is sent the booking's summary. `trader`
    is the helper when a trader by their own declaration (the caller reads it); a German
    consumer then has a right of withdrawal and may already give the two declarations
    (`withdrawal`). `by_phone`: an operator books for the customer who called (the note is
    kept in the operator audit)."""
    offer = get_offer_for(actor, offer_id)
    for_caller = actor.is_staff and bool(by_phone.strip())
    if not acts_for(actor, offer.request.customer_id) and not for_caller:
        raise Forbidden(
            "Only the customer can accept offers on this request.", code="not_your_request"
        )
    if actor.email_verified_at is None and not for_caller:
        raise Forbidden(
            "Confirm your e-mail address first: open the link we sent you, or ask for a new "
            "one in your account settings.",
            code="email_not_verified",
        )
    payment = checkout_choice(offer, payment_method=payment_method, tip_minor=tip_minor)
    terms = consumer_terms(offer.request, trader)
    with transaction.atomic():
        booking = _book(offer, actor=actor, payment=payment)
        if for_caller:
            record_operator_action(actor, "booking.by_phone", booking, by_phone)
        record_delegate_act(actor, booking.customer_id, "booking.book", booking)
        contract = contract_record(
            booking, terms, early_start=early_start, loss_acknowledged=loss_acknowledged
        )
        tell_checkout(booking, contract)
    return booking


def offer_accept_on_posted_terms(*, offer_id: int, tell: bool = True) -> Booking:
    """Book an offer made on terms the request was posted with (a fixed-price job taken from
    an invitation): the customer, or the partner for them, agreed when posting, so no one
    accepts again. Callers make sure the offer matches those terms. `tell=False`: the
    parties hear of it otherwise (a series' dates: its one "accepted" notice)."""
    offer = Offer.objects.select_related("request").get(pk=offer_id)
    return _book(offer, actor=None, payment=checkout_choice(offer), tell=tell)


def _book(
    offer: Offer, *, actor: User | None, payment: CheckoutChoice, tell: bool = True
) -> Booking:
    request = offer.request
    if offer.status != OfferStatus.PENDING:
        raise Conflict(f"This offer is {offer.status}.", code="offer_not_pending")
    helper_takes_bookings_check(offer)
    if request.is_multi:
        return multi_book(offer, actor=actor, payment=payment)
    try:
        with transaction.atomic():
            # On SQLite the IMMEDIATE transaction already serialises this check with every
            # other writer; on PostgreSQL the exclusion constraint catches the race.
            if helper_overlapping_bookings(
                helper_id=offer.helper_id,
                starts_at=offer.proposed_start,
                ends_at=offer.proposed_end,
            ).exists():
                raise Conflict(
                    "The helper is already booked at that time.", code="helper_double_booked"
                )
            request_transition(
                request_id=request.pk,
                source=frozenset({RequestState.OFFERED}),
                target=RequestState.BOOKED,
                actor=actor,
                note=f"accepted offer #{offer.pk}",
                booked_helper_id=offer.helper_id,
            )
            accepted = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=OfferStatus.ACCEPTED
            )
            if accepted != 1:
                raise Conflict("This offer is no longer pending.", code="offer_not_pending")
            Offer.objects.filter(request=request, status=OfferStatus.PENDING).update(
                status=OfferStatus.DECLINED
            )
            counters_lapse(request_id=request.pk)  # open counters end with their offers
            booking = booking_row(offer, payment)  # with its booking.created event
            if tell:
                tell_booked(booking, actor=actor)
            return booking
    except IntegrityError:
        raise Conflict(
            "The helper is already booked at that time, or the request is already booked.",
            code="helper_double_booked",
        ) from None


def offer_withdraw(*, actor: User, offer_id: int) -> Offer:
    offer = get_offer_for(actor, offer_id)
    if offer.helper_id != actor.pk:
        raise Forbidden(
            "Only the helper who made the offer can withdraw it.", code="not_your_offer"
        )
    with transaction.atomic():
        if (
            Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=OfferStatus.WITHDRAWN
            )
            != 1
        ):
            raise Conflict(f"This offer is {offer.status}.", code="offer_not_pending")
        withdrawn = CounterStatus.WITHDRAWN
        if counters_lapse(request_id=offer.request_id, offer_ids=[offer.pk], status=withdrawn):
            tell_counter_answer(offer.counter, agreed=None)
        announce_request_changed(offer.request_id)
    offer.refresh_from_db()
    return offer


def booking_start(*, actor: User, booking_id: int) -> Booking:
    """The helper arrives: an alias of `visit.booking_check_in`, with its guards."""
    return booking_check_in(actor=actor, booking_id=booking_id)


def booking_complete(*, actor: User, booking_id: int, paid_cash: bool = False) -> Booking:
    """The work is done: an alias of `visit.booking_check_out` (outcome fixed); the job is
    settled at the customer's sign-off, not here."""
    return booking_check_out(actor=actor, booking_id=booking_id, paid_cash=paid_cash)


def booking_customer_confirm(*, request_ids: list[int], customer: User) -> int:
    """A pending contact confirmed their cases: the bookings now belong to the account too."""
    return Booking.objects.filter(request_id__in=request_ids, customer__isnull=True).update(
        customer=customer
    )


def booking_close(*, actor: User | None, booking_id: int) -> None:
    """Close a completed booking (when both sides reviewed). Called by the reviews context."""
    with transaction.atomic():
        booking = Booking.objects.get(pk=booking_id)
        if not last_signed_off(booking):  # a multi request closes with its last booking
            return
        request_transition(
            request_id=booking.request_id,
            source=frozenset({RequestState.COMPLETED}),
            target=RequestState.CLOSED,
            actor=actor,
            note="both sides reviewed",
        )


def booking_cancel(*, actor: User, booking_id: int, reason: str = "") -> Booking:
    """Either party cancels before the work starts; the slot is freed for the helper. A
    consumer's cancellation inside the withdrawal period is a withdrawal (with its receipt)."""
    booking = get_booking_for(actor, booking_id)
    if (
        not (actor.pk == booking.helper_id or acts_for(actor, booking.customer_id))
        and not actor.is_staff
    ):
        raise Forbidden("Only the two parties can cancel a booking.", code="wrong_party")
    if acts_for(actor, booking.customer_id) and withdrawable(
        booking, contract_of(booking), timezone.now()
    ):
        booking_withdraw(actor=actor, booking_id=booking.pk)
        booking.refresh_from_db()
        booking.request.refresh_from_db()
        return booking
    return _cancel(booking, actor=actor, reason=reason)


def booking_cancel_free(*, actor: User | None, booking_id: int, reason: str) -> Booking:
    """Cancel without a fee and without re-dispatch, for terms both parties agreed to
    beforehand (a recurring series ended or an occurrence the helper skips): the caller
    has checked that `actor` may. The other party is told."""
    booking = Booking.objects.select_related("request").get(pk=booking_id)
    return _cancel(booking, actor=actor, reason=reason, by=CancelledBy.SYSTEM)


def booking_cancel_for_customer(*, booking_id: int, reason: str) -> Booking:
    """Cancel in the customer's name by someone who acts for them (a partner withdrawing
    its case); the caller has checked that it may. `reason` says who."""
    booking = Booking.objects.get(pk=booking_id)
    return _cancel(booking, actor=None, reason=reason, by=CancelledBy.PARTNER)


def booking_release(
    *, request_id: int, by: CancelledBy, actor: User | None, reason: str
) -> Booking | None:
    """Free the request's live booking, booked or in progress, because the job leaves the
    crowd (a partner's case escalated). The request's own state is the caller's. Not a
    commitment the helper broke, even when the helper escalated: matching counts only
    cancellations by the helper. Returns the released booking, or None."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .filter(request_id=request_id, state__in=LIVE)
            .first()
        )
        if booking is None:
            return None
        by_user = actor if actor is not None and actor.pk != booking.helper_id else None
        _end(booking, "booking.released", by=by, actor=actor, cancelled_by=by_user, reason=reason)
        changes_lapse(booking, tell=False)  # the release is told; open changes end with it
    booking.refresh_from_db()
    return booking


def _about(booking: Booking) -> dict[str, object]:
    return {"booking_id": booking.pk, "request_id": booking.request_id}


def _end(
    booking: Booking,
    kind: str,
    *,
    by: CancelledBy,
    actor: User | None,
    cancelled_by: User | None,
    reason: str = "",
    **extra: object,
) -> None:
    """Cancel the booking row and record `kind` (cancelled or released) with who and when."""
    now = timezone.now()
    booking_state_set(  # compare-and-set, audited; Conflict when it cannot move
        booking,
        BookingState.CANCELLED,
        actor=actor,
        reason=reason,
        cancelled_at=now,
        cancelled_by=cancelled_by,
        cancellation_reason=reason[:200],
    )
    record_event(
        kind,
        **_about(booking),
        by=by,
        by_user_id=actor.pk if actor else None,
        cancelled_at=now,
        reason=reason[:200],
        **extra,
    )


def _party(booking: Booking, actor: User) -> CancelledBy:
    if actor.pk == booking.helper_id:
        return CancelledBy.HELPER
    if acts_for(actor, booking.customer_id):
        return CancelledBy.CUSTOMER
    return CancelledBy.OPERATOR


def _cancel(
    booking: Booking, *, actor: User | None, reason: str, by: CancelledBy | None = None
) -> Booking:
    by = by or (_party(booking, actor) if actor is not None else CancelledBy.SYSTEM)
    with transaction.atomic():
        terms = request_after_cancel(booking, by=by, actor=actor, note=reason[:200])
        extra = terms.payload(booking, reason=reason)  # with the fee, if any
        _end(booking, "booking.cancelled", by=by, actor=actor, cancelled_by=actor, **extra)
        tell_cancelled(booking, actor=actor, terms=terms)
        if actor is not None and actor.pk == booking.helper_id:  # the helper broke it
            helper_changed.send(sender=Booking, helper_id=booking.helper_id)
    booking.refresh_from_db()
    booking.request.refresh_from_db()
    return booking
