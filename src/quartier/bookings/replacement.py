"""Ending a booking because plans failed: the customer asks for another helper (a visit not
confirmed 12 hours ahead), or an operator decides a no-show.

The booking is cancelled with a `booking.cancelled` event like any other, so the ledger and
invoicing book a fee where it has one (a customer's no-show) and dispatch takes the request
up again where `redispatched` — which only the customer's consent sets. `cancelled_by` is
never the helper here: matching counts only cancellations the helper made.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden
from quartier.events import record_event
from quartier.households.access import acts_for
from quartier.jobs.services import request_transition
from quartier.jobs.states import RequestState

from .before_visit import may_ask_another_helper
from .changes import changes_lapse
from .models import Booking, CancelledBy, Offer, OfferStatus
from .moves import booking_state_set
from .multi import place_ended
from .plan_models import CareLine, CareStatus, VisitPlan
from .plan_notices import HELPER, tell_plan
from .selectors import get_booking_for
from .states import BookingState

REQUEST_STATE = {
    BookingState.BOOKED: RequestState.BOOKED,
    BookingState.IN_PROGRESS: RequestState.IN_PROGRESS,
}


def booking_end(
    booking: Booking,
    *,
    actor: User | None,
    by: CancelledBy,
    reason: str,
    redispatch: bool,
    fee_minor: int = 0,
    **extra: object,
) -> None:
    """Cancel the live booking (inside the caller's transaction): the request goes back to
    dispatch when `redispatch`, else it ends. On a request for several helpers or visits
    only this booking's place is concerned: it opens again for dispatch when `redispatch`,
    else it stays empty and the request goes on with the other places."""
    now = timezone.now()
    source = REQUEST_STATE.get(BookingState(booking.state))
    if source is None:
        raise Conflict("This booking is no longer live.", code="illegal_state")
    multi = booking.request.is_multi
    if not multi:
        _request_ends_or_returns(booking, source, actor=actor, reason=reason, back=redispatch)
    booking_state_set(
        booking,
        BookingState.CANCELLED,
        actor=actor,
        reason=reason,
        at=now,
        cancelled_at=now,
        cancelled_by=actor if actor is not None and actor.pk != booking.helper_id else None,
        cancellation_reason=reason[:200],
    )
    if multi:
        redispatch = place_ended(booking, actor=actor, note=reason, reopen=redispatch)
    elif redispatch:  # dispatch counts live offers: this helper's no longer stands
        Offer.objects.filter(pk=booking.offer_id).update(status=OfferStatus.WITHDRAWN)
    changes_lapse(booking, tell=False)
    CareLine.objects.filter(booking=booking, status=CareStatus.OPEN).update(
        status=CareStatus.DONE, closed_at=now, note=reason[:2000]
    )
    record_event(
        "booking.cancelled",
        booking_id=booking.pk,
        request_id=booking.request_id,
        by=by,
        by_user_id=actor.pk if actor else None,
        cancelled_at=now,
        reason=reason[:200],
        helper_id=booking.helper_id,
        customer_id=booking.customer_id,
        currency=booking.currency,
        fee_minor=fee_minor,
        withdrawal=False,
        redispatched=redispatch,
        **extra,
    )


def _request_ends_or_returns(
    booking: Booking, source: RequestState, *, actor: User | None, reason: str, back: bool
) -> None:
    """A one-helper request goes back to dispatch (`back`) or ends with its booking."""
    request_transition(
        request_id=booking.request_id,
        source=source,
        target=RequestState.REQUESTED if back else RequestState.CANCELLED,
        actor=actor,
        note=reason[:200],
        **({"booked_helper_id": None} if back else {}),
    )


def booking_another_helper(*, actor: User, booking_id: int) -> Booking:
    """The customer, whose visit is not confirmed 12 hours ahead, asks for another helper:
    the booking ends free of charge and the request goes back to dispatch. Only the customer
    can ask (it is their consent); the helper is told, and nothing about them changes."""
    booking = get_booking_for(actor, booking_id)
    if not acts_for(actor, booking.customer_id):
        raise Forbidden(
            "Only the customer can ask for another helper.", code="customer_consent_needed"
        )
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        plan = VisitPlan.objects.filter(pk=booking.pk).first()  # read after the lock
        if not may_ask_another_helper(locked, plan, timezone.now()):
            raise Conflict(
                "You can ask for another helper when the visit is not confirmed 12 hours ahead.",
                code="not_unconfirmed",
            )
        booking_end(
            locked,
            actor=actor,
            by=CancelledBy.CUSTOMER,
            reason="Not confirmed 12 hours ahead: the customer asked for another helper.",
            redispatch=True,
            another_helper=True,
        )
        tell_plan(booking, "another_helper", to=HELPER)
    booking.refresh_from_db()
    return booking
