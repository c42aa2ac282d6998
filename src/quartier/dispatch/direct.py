"""Direct invitations: the customer picks the helper (from a match, a profile, the
directory, or "Book again") instead of waiting for a wave.

A direct invitation is an `Invitation` of the request's dispatch with source `direct`, so
everything that answers, closes and audits invitations works for it as for any other. A
request posted for one chosen helper gets a dispatch that sends no waves (`next_wave_at`
empty) but keeps its deadline, so the customer still hears when nobody answered. The
helper answers as always: accepts (an offer at their own price for the skill), offers
another price or time, or declines, which never costs them rank.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Unpack

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.models import Offer, Pricing
from quartier.bookings.offer_terms import FIXED_PRICE, OfferTerms
from quartier.bookings.services import offer_create
from quartier.catalog.selectors import SkillPrice, skill_price
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.households.access import acts_for
from quartier.jobs.coverage import helper_can_serve
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for
from quartier.jobs.services import RequestFields
from quartier.jobs.states import OPEN_FOR_OFFERS

from . import waves
from .models import Dispatch, Invitation
from .notices import tell_invited_directly
from .posting import request_post
from .selectors import get_invitation_for, live_offer_helper_ids
from .states import DispatchMode, InvitationSource, InvitationStatus

CHOSEN = "Chosen by the customer."


def customer_request_for(actor: User, request_id: int) -> JobRequest:
    """The actor's own request that still takes offers: 404 outside their scope, 403 for a
    helper who may see it, 409 once it moved on."""
    request = get_request_for(actor, request_id)
    if not acts_for(actor, request.customer_id):
        raise Forbidden("Only the customer invites helpers to a request.", code="not_your_request")
    if request.state not in OPEN_FOR_OFFERS:
        raise Conflict("This request no longer takes offers.", code="illegal_state")
    return request


def chosen_helper(request: JobRequest, helper_id: int) -> User:
    """The chosen helper, if they serve the request's skill at its place (field error else)."""
    helper = User.objects.filter(pk=helper_id, is_active=True, is_helper=True).first()
    if helper is None or not helper_can_serve(helper=helper, request=request):
        raise field_error(
            "helper_id",
            "This helper does not offer this skill at your address right now.",
            code="helper_cannot_serve",
        )
    return helper


def dispatch_locked_for_direct(request: JobRequest, now: datetime) -> Dispatch:
    """The request's dispatch, locked; a new one sends no waves, only keeps the deadline."""
    from .tasks import dispatch_deadline

    dispatch = waves.locked_dispatch_for_request(request.pk)
    if dispatch is not None:
        if dispatch.partner_id is not None or dispatch.mode != DispatchMode.QUOTES:
            raise Conflict("A partner's case takes no direct invitations.", code="partner_case")
        return dispatch
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                request=request,
                next_wave_at=None,
                deadline_at=waves.deadline_for(request, now),
            )
    except IntegrityError:  # created concurrently
        return waves.locked_dispatch_for_request(request.pk)  # type: ignore[return-value]
    waves.record(dispatch, "created", note="direct: only helpers the customer chose")
    waves.enqueue_after_commit(dispatch_deadline, dispatch.pk, run_after=dispatch.deadline_at)
    return dispatch


def invitation_direct_create(*, actor: User, request_id: int, helper_id: int) -> Invitation:
    """Invite a chosen helper to the customer's open request; the helper is told at once.

    Idempotent while the invitation is open. 409 `already_offered` when the helper has
    made an offer (accept it instead), `invitation_declined` when they declined this request.
    """
    request = customer_request_for(actor, request_id)
    helper = chosen_helper(request, helper_id)
    if helper.pk in live_offer_helper_ids(request_id=request.pk):
        raise Conflict("This helper has made you an offer already.", code="already_offered")
    now = timezone.now()
    with transaction.atomic():
        dispatch = dispatch_locked_for_direct(request, now)
        existing = Invitation.objects.filter(dispatch=dispatch, helper=helper).first()
        if existing is not None:
            if existing.status == InvitationStatus.OPEN:
                return existing
            raise Conflict(
                f"This helper's invitation is {existing.status}.", code="invitation_declined"
            )
        invitation = Invitation.objects.create(
            dispatch=dispatch,
            helper=helper,
            wave=dispatch.wave,
            rank=dispatch.invitations.count() + 1,
            score=0,
            explanation=CHOSEN,
            source=InvitationSource.DIRECT,
        )
        waves.record(dispatch, "invited_directly", invitation=invitation, actor=actor)
        tell_invited_directly(request, helper, customer=actor)
    return invitation


def request_post_for_helper(
    *, actor: User, helper_id: int, **fields: Unpack[RequestFields]
) -> tuple[JobRequest, Invitation]:
    """Post a request for one chosen helper (no waves to anyone else) and invite them. One
    chosen helper cannot fill several helpers' places (several visits they can)."""
    if fields.get("helpers_needed", 1) > 1:
        raise field_error(
            "helpers_needed",
            "A request for one chosen helper asks for one helper; post it to everyone to "
            "find several.",
            code="helpers_needed_direct",
        )
    with transaction.atomic():
        request = request_post(actor=actor, terms=None, **fields)
        invitation = invitation_direct_create(
            actor=actor, request_id=request.pk, helper_id=helper_id
        )
    return request, invitation


def offer_terms_for(price: SkillPrice | None, price_minor: int | None) -> OfferTerms:
    """At the price given, else the skill's fixed price, else its hourly rate for the
    standard job's length."""
    if price_minor is not None or price is None or price.fixed_price_minor is not None:
        return FIXED_PRICE
    hours = Decimal(price.fixed_duration_minutes) / 60
    return OfferTerms(
        pricing=Pricing.HOURLY,
        hourly_rate_minor=price.hourly_rate_minor,
        estimated_hours=hours.quantize(Decimal("0.01")),
    )


def default_slot(request: JobRequest, minutes: int, now: datetime) -> tuple[datetime, datetime]:
    """The window's start, or the next full hour once the window is open, moved earlier if
    needed so that it ends inside the window."""
    length = timedelta(minutes=minutes)
    next_hour = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    start = max(request.window_start, next_hour)
    if start + length > request.window_end:
        start = max(request.window_end - length, request.window_start)
    return start, start + length


def invitation_answer_with_offer(
    *,
    actor: User,
    invitation_id: int,
    price_minor: int | None = None,
    proposed_start: datetime | None = None,
    proposed_end: datetime | None = None,
    message: str = "",
) -> Offer:
    """The invited helper accepts: an offer at their own price for the skill (its fixed
    price, else its hourly rate for the standard job) at the first possible time, or at the
    price and time they name instead. The invitation is then `accepted`; the customer books
    the offer as any other. Requests that take quotes only (fixed-price partner jobs are
    taken with `invitation_accept`)."""
    invitation = get_invitation_for(actor, invitation_id)
    if invitation.helper_id != actor.pk:
        raise NotFound("No such invitation.")
    dispatch = invitation.dispatch
    if dispatch.mode != DispatchMode.QUOTES:
        raise Conflict("Take this fixed-price job with accept.", code="fixed_price_job")
    if invitation.status != InvitationStatus.OPEN:
        raise Conflict(f"This invitation is {invitation.status}.", code="invitation_not_open")
    request = dispatch.request
    price = skill_price(helper_id=actor.pk, skill_id=request.skill_id)
    minutes = price.fixed_duration_minutes if price else 120
    start, end = default_slot(request, minutes, timezone.now())
    if proposed_start is not None:
        start, end = proposed_start, proposed_end or proposed_start + (end - start)
    total = price_minor if price_minor is not None or price is None else price.fixed_price_minor
    with transaction.atomic():
        offer = offer_create(
            actor=actor,
            request_id=request.pk,
            price_minor=total,
            proposed_start=start,
            proposed_end=end,
            message=message,
            terms=offer_terms_for(price, price_minor),
        )
        _accepted(invitation, actor, note=f"offer #{offer.pk}")
    return offer


def _accepted(invitation: Invitation, actor: User, *, note: str) -> None:
    """Compare-and-set the invitation open -> accepted (the helper answered)."""
    now = timezone.now()
    with waves.counter_batch():
        dispatch = waves.locked_dispatch(invitation.dispatch_id)
        assert dispatch is not None  # the invitation cascades with it
        moved = Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.OPEN).update(
            status=InvitationStatus.ACCEPTED, responded_at=now, closed_at=now
        )
        if moved == 1 and invitation.source == InvitationSource.WAVE:
            waves.counters_add([actor.pk], -1)
        waves.record(dispatch, "accepted", invitation=invitation, actor=actor, note=note)


def invitations_for_request(
    *, actor: User, request_id: int, checked: JobRequest | None = None
) -> list[Invitation]:
    """For the request's customer: the helpers they chose and what each answered.
    `checked`: the request as `get_request_for(actor, request_id)` returned it already."""
    request = checked if checked is not None else get_request_for(actor, request_id)
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        raise Forbidden("Only the customer sees whom they invited.", code="not_your_request")
    return list(
        Invitation.objects.filter(dispatch__request_id=request.pk, source=InvitationSource.DIRECT)
        .select_related("helper")
        .order_by("created_at", "pk")
    )
