"""The unsuccessful visit: the helper checks out with "couldn't fix it".

The request goes on without this helper. A public job goes back to dispatch (the request is
`requested` again, the helper's offer withdrawn; dispatch reopens on `booking.not_fixed`
with `redispatched`): a new booking is to come and the customer need not post again. A
partner case goes to the partner's technicians (partners escalate on the same event).

The booking owes its visit fee, fixed when it was booked: the partner program's
`visit_fee_minor`, or for a public job the market's terms (`QUARTIER_CANCELLATION`
`visit_fee_minor`, default 0), never more than the price. With a fee the booking awaits the
customer's sign-off like any visit (48 hours, then automatically; a dispute holds it), and
its sign-off settles the fee alone: `job.settled` for this booking with the fee as its one
line, split between partner and customer as the price was — never the full price. Without
a fee it closes at once (cancelled) with nothing due. An honest "couldn't fix it" is no
broken commitment (no `cancelled_by`) and is not reviewed: the helper's rank stays as it is.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext

from quartier.accounts.models import User
from quartier.events import helper_changed, record_event
from quartier.jobs.services import request_transition
from quartier.jobs.states import RequestState

from .models import Booking, LineKind, Offer, OfferStatus, PaymentMethod
from .moves import booking_state_set
from .multi import single_only
from .notices import tell_visit
from .settlement import settled_payload
from .states import SIGNED_OFF, BookingState, VisitOutcome


def visit_fee_due(booking: Booking) -> int:
    """What an unsuccessful visit of `booking` costs: its visit fee, at most its price."""
    return max(0, min(booking.visit_fee_minor, booking.price_minor))


def partner_part(fee_minor: int, booking: Booking) -> int:
    """The partner's part of the fee, in the booking's proportion (rounded half up)."""
    if booking.partner_share_minor >= booking.price_minor:
        return fee_minor
    price = booking.price_minor
    return (2 * fee_minor * booking.partner_share_minor + price) // (2 * price)


def visit_not_fixed(
    booking: Booking, *, actor: User, note: str, now: datetime, minutes: int
) -> None:
    """Inside the check-out's transaction: end the visit without a fix (see the module)."""
    single_only(booking.request, "Checking out without a fix")
    fee = visit_fee_due(booking)
    redispatch = booking.partner_id is None
    reason = f"not fixed: {note}"
    at = {"checked_out_at": now, "minutes_worked": minutes, "outcome": VisitOutcome.NOT_FIXED}
    if fee:
        booking_state_set(
            booking, BookingState.AWAITING_SIGN_OFF, actor=actor, reason=reason, at=now, **at
        )
    else:
        booking_state_set(
            booking,
            BookingState.CANCELLED,
            actor=actor,
            reason=reason,
            at=now,
            cancelled_at=now,
            cancellation_reason=reason[:200],
            **at,
        )
    if redispatch:
        request_transition(
            request_id=booking.request_id,
            source=frozenset({RequestState.IN_PROGRESS}),
            target=RequestState.REQUESTED,
            actor=actor,
            note="not fixed: back to dispatch",
            booked_helper_id=None,
        )
        # The helper's offer no longer stands: dispatch counts live ones.
        Offer.objects.filter(pk=booking.offer_id).update(status=OfferStatus.WITHDRAWN)
    helper_changed.send(sender=Booking, helper_id=booking.helper_id)
    # Dispatch sends a public job out again, partners escalate their case (handlers).
    record_event(
        "booking.not_fixed",
        booking_id=booking.pk,
        request_id=booking.request_id,
        checked_out_at=now,
        note=note,
        helper_id=booking.helper_id,
        partner_id=booking.partner_id,
        by_user_id=actor.pk,
        redispatched=redispatch,
        visit_fee_minor=fee,
        partner_share_minor=partner_part(fee, booking),
        currency=booking.currency,
    )
    tell_visit(
        booking,
        "not_fixed",
        actor=actor,
        visit_fee_minor=fee,
        customer_fee_minor=fee - partner_part(fee, booking),
        redispatched=redispatch,
    )


def visit_fee_sign_off(booking: Booking, *, actor: User | None, reason: str, now: datetime) -> None:
    """Inside the sign-off's transaction: the unsuccessful visit is signed off and its fee
    settled. The request is not this booking's any more (dispatched again or escalated)."""
    booking_state_set(
        booking,
        SIGNED_OFF,
        actor=actor,
        reason=reason or "visit fee signed off",
        at=now,
        completed_at=now,
    )
    record_event("job.settled", **visit_fee_payload(booking.pk, settled_at=now))
    tell_visit(booking, "fee_signed_off", actor=actor, visit_fee_minor=visit_fee_due(booking))


def visit_fee_payload(booking_id: int, *, settled_at: datetime) -> dict[str, object]:
    """The `job.settled` payload of an unsuccessful visit: the fee as the job's one line
    (at the VAT rate of the offer's labour), no tip, the partner's part as for the price."""
    payload = settled_payload(booking_id, settled_at=settled_at)
    booking = Booking.objects.select_related("customer").get(pk=booking_id)
    fee = visit_fee_due(booking)
    share = partner_part(fee, booking)
    rate = (
        booking.offer.lines.filter(kind=LineKind.LABOUR).values_list("vat_rate", flat=True).first()
    )
    method = booking.payment_method
    if share == fee:
        method = PaymentMethod.PARTNER
    elif method == PaymentMethod.PARTNER:  # pragma: no cover - the database keeps them apart
        method = PaymentMethod.TRANSFER
    language = booking.customer.preferred_language if booking.customer else None
    with translation.override(language or "de"):
        label = gettext("Visit fee: could not be fixed on site")
    line = {
        "kind": "labour",
        "label": label,
        "quantity": "1",
        "unit_minor": fee,
        "vat_rate": format(rate.normalize(), "f") if rate is not None else "0",
        "total_minor": fee,
    }
    return payload | {
        "price_minor": fee,
        "tip_minor": 0,
        "method": str(method),
        "partner_share_minor": share,
        "lines": [line],
        "visit_fee": True,
    }
