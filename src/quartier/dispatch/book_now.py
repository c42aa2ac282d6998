"""Book now: a helper with a fixed price for the request's skill is booked at once.

One transaction does what the helper and the customer would do one after the other: a
direct invitation (accepted), the helper's offer at their fixed price for the standard job
(`bookings.offer_create`), and the customer's checkout of it (`bookings.offer_accept`). The
slot must lie in the helper's weekly hours, outside their absences and bookings; two
customers who book the same helper for the same time at once cannot both win: on SQLite
the IMMEDIATE transaction serialises the bookings' overlap check, on PostgreSQL the
bookings' exclusion constraint refuses the second (409 `helper_double_booked`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.availability import free_hours, weekly_hours_bitmap
from quartier.bookings.changes import Trader
from quartier.bookings.models import Booking, Offer, OfferStatus, PaymentMethod
from quartier.bookings.services import offer_accept, offer_create
from quartier.catalog.selectors import skill_price
from quartier.errors import Conflict, field_error
from quartier.jobs.models import JobRequest

from .direct import chosen_helper, customer_request_for, dispatch_locked_for_direct
from .models import Invitation
from .selectors import live_offer_helper_ids
from .states import InvitationSource, InvitationStatus
from .waves import counter_batch, counters_add, record

HOUR = timedelta(hours=1)


def helper_is_free(*, helper_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    """Every hour the slot touches lies in the helper's weekly hours (none set: any time)
    and no absence or live booking overlaps it."""
    first = starts_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    last = ends_at.astimezone(UTC)
    if last > last.replace(minute=0, second=0, microsecond=0):
        last = last.replace(minute=0, second=0, microsecond=0) + HOUR
    hours = (last - first) // HOUR
    free = free_hours(
        helpers={helper_id: weekly_hours_bitmap(helper_id=helper_id)},
        window_start=first,
        window_end=first + hours * HOUR,
    )
    return free[helper_id] == hours


def book_now(
    *,
    actor: User,
    request_id: int,
    helper_id: int,
    starts_at: datetime,
    payment_method: str = PaymentMethod.TRANSFER,
    tip_minor: int = 0,
    trader: Trader | None = None,
) -> Booking:
    """The customer books the helper at their fixed price for the request's skill, from
    `starts_at` for the standard job's length (an app that showed its own checkout). 409
    `no_fixed_price` when the helper has none, `helper_not_free` outside their hours,
    `helper_double_booked` when taken meanwhile."""
    request = customer_request_for(actor, request_id)
    with transaction.atomic():
        invitation, offer = _fixed_price_offer(request, helper_id, starts_at)
        booking = offer_accept(
            actor=actor,
            offer_id=offer.pk,
            payment_method=payment_method,
            tip_minor=tip_minor,
            trader=trader,
        )
        record(
            invitation.dispatch,
            "booked_now",
            invitation=invitation,
            actor=actor,
            note=f"booking #{booking.pk}",
        )
    return booking


def book_now_offer(*, actor: User, request_id: int, helper_id: int, starts_at: datetime) -> Offer:
    """The first half of Book now on the web: the helper's offer at their fixed price from
    `starts_at`, which the customer then books at checkout like any offer (price lines,
    who provides it, cancellation terms and withdrawal rights, payment, the order button).
    Asked again for the same start (back from the checkout), the offer waiting there;
    errors as `book_now`."""
    request = customer_request_for(actor, request_id)
    waiting = Offer.objects.filter(
        request=request, helper_id=helper_id, status=OfferStatus.PENDING, proposed_start=starts_at
    ).first()
    if waiting is not None:
        return waiting
    with transaction.atomic():
        return _fixed_price_offer(request, helper_id, starts_at)[1]


def _fixed_price_offer(
    request: JobRequest, helper_id: int, starts_at: datetime
) -> tuple[Invitation, Offer]:
    """The helper's accepted invitation and offer at their fixed price on the customer's
    `request` (in a transaction)."""
    helper = chosen_helper(request, helper_id)
    price = skill_price(helper_id=helper.pk, skill_id=request.skill_id)
    if price is None or price.fixed_price_minor is None:
        raise Conflict(
            "This helper has no fixed price for this job: invite them for an offer.",
            code="no_fixed_price",
        )
    if helper.pk in live_offer_helper_ids(request_id=request.pk):
        raise Conflict("This helper has made you an offer already.", code="already_offered")
    if timezone.is_naive(starts_at):
        raise field_error("starts_at", "Give the time with its time zone.", code="naive_time")
    ends_at = starts_at + timedelta(minutes=price.fixed_duration_minutes)
    if not helper_is_free(helper_id=helper.pk, starts_at=starts_at, ends_at=ends_at):
        raise Conflict("The helper is not available at that time.", code="helper_not_free")
    # The request row first, then the dispatch: the order every dispatch transaction
    # takes them in (see waves), so this cannot deadlock with a deadline or a wave.
    JobRequest.objects.select_for_update().filter(pk=request.pk).first()
    invitation = _accepted_invitation(request, helper)
    return invitation, offer_create(
        actor=helper,
        request_id=request.pk,
        price_minor=price.fixed_price_minor,
        proposed_start=starts_at,
        proposed_end=ends_at,
        message="",
        tell_customer=False,  # the customer is at the checkout, or booked at once
    )


def _accepted_invitation(request: JobRequest, helper: User) -> Invitation:
    """The helper's invitation to the request, accepted now (a direct one if none yet)."""
    now = timezone.now()
    with counter_batch():
        dispatch = dispatch_locked_for_direct(request, now)
        invitation = Invitation.objects.filter(dispatch=dispatch, helper=helper).first()
        if invitation is None:
            invitation = Invitation.objects.create(
                dispatch=dispatch,
                helper=helper,
                wave=dispatch.wave,
                rank=dispatch.invitations.count() + 1,
                score=0,
                explanation="Booked at once by the customer.",
                source=InvitationSource.DIRECT,
                status=InvitationStatus.ACCEPTED,
                responded_at=now,
                closed_at=now,
            )
        elif invitation.status == InvitationStatus.DECLINED:
            raise Conflict("This helper declined this request.", code="invitation_declined")
        elif invitation.status == InvitationStatus.OPEN:
            Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.OPEN).update(
                status=InvitationStatus.ACCEPTED, responded_at=now, closed_at=now
            )
            if invitation.source == InvitationSource.WAVE:
                counters_add([helper.pk], -1)
        invitation.dispatch = dispatch
    return invitation
