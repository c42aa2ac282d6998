"""Book again: a past completed booking's helper, for a new request like the old one.

The new request takes the old one's skill, address and description (the customer may
change the title and description and names a new time window); it is posted for that
helper alone (a direct invitation, no waves). Where the helper has a fixed price for the
skill and the customer names a start, the helper is booked at once instead ("Book now").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from quartier.accounts.models import User
from quartier.bookings.changes import Trader
from quartier.bookings.models import Booking, PaymentMethod
from quartier.bookings.selectors import get_booking_for
from quartier.bookings.states import BookingState
from quartier.errors import Conflict, Forbidden
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.jobs.services import RequestFields

from .book_now import book_now
from .direct import request_post_for_helper
from .models import Invitation
from .posting import request_post


@dataclass(frozen=True)
class Again:
    request: JobRequest
    invitation: Invitation | None  # the helper is invited to make an offer ...
    booking: Booking | None  # ... or booked at once


def booking_for_again(actor: User, booking_id: int) -> Booking:
    """The actor's own completed booking (404 outside their scope, 403 for its helper,
    409 before it is completed)."""
    booking = get_booking_for(actor, booking_id)
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer books a helper again.", code="not_your_booking")
    if booking.state != BookingState.COMPLETED:
        raise Conflict("Only a completed job can be booked again.", code="booking_not_completed")
    return booking


def fields_again(
    booking: Booking,
    *,
    window_start: datetime,
    window_end: datetime,
    title: str | None = None,
    description: str | None = None,
) -> RequestFields:
    """The old request's skill, address and words, for a new time window."""
    old = booking.request
    return RequestFields(
        skill=old.skill.slug,
        title=title if title is not None else old.title,
        description=description if description is not None else old.description,
        country=old.country,
        postcode=old.postcode,
        street_address=old.street_address,
        window_start=window_start,
        window_end=window_end,
    )


def book_again(
    *,
    actor: User,
    booking_id: int,
    window_start: datetime,
    window_end: datetime,
    title: str | None = None,
    description: str | None = None,
    starts_at: datetime | None = None,
    payment_method: str = PaymentMethod.TRANSFER,
    trader: Trader | None = None,
) -> Again:
    """Post the new request for the same helper: invited, or with `starts_at` booked at
    once at their fixed price (all or nothing: a refused booking posts nothing)."""
    booking = booking_for_again(actor, booking_id)
    fields = fields_again(
        booking,
        window_start=window_start,
        window_end=window_end,
        title=title,
        description=description,
    )
    with transaction.atomic():
        if starts_at is None:
            request, invitation = request_post_for_helper(
                actor=actor, helper_id=booking.helper_id, **fields
            )
            return Again(request=request, invitation=invitation, booking=None)
        request = request_post(actor=actor, terms=None, **fields)
        booked = book_now(
            actor=actor,
            request_id=request.pk,
            helper_id=booking.helper_id,
            starts_at=starts_at,
            payment_method=payment_method,
            trader=trader,
        )
    return Again(request=request, invitation=None, booking=booked)
