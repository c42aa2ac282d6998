"""Reads for dispatch: a helper's open invitations, a customer's view of the waves, and the
few facts about offers that the wave logic needs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from quartier.accounts.models import User
from quartier.bookings.models import Offer, OfferStatus
from quartier.catalog.selectors import skill_price
from quartier.errors import Forbidden, NotFound
from quartier.households.access import acts_for
from quartier.jobs.selectors import get_request_for
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.matching.explain import explanation

from .models import Dispatch, Invitation
from .states import DispatchMode, DispatchState, InvitationSource, InvitationStatus

#: Offers that count as quotes in hand (withdrawn ones do not).
LIVE_OFFER = [OfferStatus.PENDING, OfferStatus.ACCEPTED]


# --- offers on a request (read from bookings; the wave logic only needs these facts) ------


def live_offer_count(*, request_id: int) -> int:
    return Offer.objects.filter(request_id=request_id, status__in=LIVE_OFFER).count()


def offers_since(*, request_id: int, since: datetime) -> bool:
    """Did a (live) offer arrive on the request after `since`?"""
    return Offer.objects.filter(
        request_id=request_id, status__in=LIVE_OFFER, created_at__gt=since
    ).exists()


def offer_helper_ids(*, request_id: int) -> set[int]:
    """Helpers who already made an offer on the request (they need no invitation)."""
    return set(Offer.objects.filter(request_id=request_id).values_list("helper_id", flat=True))


def live_offer_helper_ids(*, request_id: int) -> set[int]:
    """Helpers with a live (pending or accepted) offer on the request."""
    return set(
        Offer.objects.filter(request_id=request_id, status__in=LIVE_OFFER).values_list(
            "helper_id", flat=True
        )
    )


# --- what the periodic tick looks for ---------------------------------------------------


def is_fixed_price(*, request_id: int) -> bool:
    """Fixed-price requests are booked by the first helper to accept: no offers to compare."""
    return Dispatch.objects.filter(request_id=request_id, mode=DispatchMode.FIXED_PRICE).exists()


def active_dispatches() -> QuerySet[Dispatch]:
    return Dispatch.objects.filter(state=DispatchState.ACTIVE)


def dispatches_to_settle(*, limit: int) -> list[int]:
    """Active dispatches that must end or close invitations although no wave is due: the
    request was booked or cancelled, the quotes cap is reached, or an invited helper quoted."""
    moved_on = active_dispatches().exclude(request__state__in=OPEN_FOR_OFFERS)
    capped = (
        active_dispatches()
        .filter(mode=DispatchMode.QUOTES)
        .annotate(quotes=Count("request__offers", filter=Q(request__offers__status__in=LIVE_OFFER)))
        .filter(quotes__gte=settings.QUARTIER_DISPATCH_MAX_QUOTES)
    )
    quoted = Invitation.objects.filter(
        status=InvitationStatus.OPEN, dispatch__state=DispatchState.ACTIVE
    ).filter(
        Exists(
            Offer.objects.filter(
                request_id=OuterRef("dispatch__request_id"), helper_id=OuterRef("helper_id")
            )
        )
    )
    ids: set[int] = set()
    for queryset in (moved_on.values_list("pk", flat=True), capped.values_list("pk", flat=True)):
        ids.update(queryset[:limit])
    ids.update(quoted.values_list("dispatch_id", flat=True)[:limit])
    return sorted(ids)[:limit]


def dispatches_past_deadline(*, now: datetime, limit: int) -> list[int]:
    return list(
        active_dispatches()
        .filter(deadline_at__lte=now)
        .order_by("deadline_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def dispatches_with_wave_due(*, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(dispatch id, current wave) of every active dispatch whose next wave is due."""
    return list(
        active_dispatches()
        .filter(next_wave_at__lte=now, deadline_at__gt=now)
        .order_by("next_wave_at", "pk")
        .values_list("pk", "wave")[:limit]
    )


# --- helpers: their invitations -----------------------------------------------------------


@dataclass(frozen=True)
class InvitationView:
    """An invitation as the invited helper sees it: the locality, never the address."""

    id: int
    request_id: int
    title: str
    skill: str
    locality: str
    postcode: str | None  # only once the invited helper is the booked one
    window_start: datetime
    window_end: datetime
    currency: str
    mode: str
    fixed_price_minor: int | None
    wave: int
    rank: int
    explanation: str
    status: str
    invited_at: datetime
    respond_by: datetime
    source: str = InvitationSource.WAVE
    your_hourly_rate_minor: int | None = None  # quotes: your rate for the skill
    your_fixed_price_minor: int | None = None  # quotes: your fixed price for the skill


def _view(invitation: Invitation) -> InvitationView:
    dispatch = invitation.dispatch
    request = dispatch.request
    price = None
    if dispatch.mode == DispatchMode.QUOTES:
        price = skill_price(helper_id=invitation.helper_id, skill_id=request.skill_id)
    return InvitationView(
        id=invitation.pk,
        request_id=request.pk,
        title=request.title,
        skill=request.skill.slug,
        locality=request.locality,
        postcode=request.postcode if request.booked_helper_id == invitation.helper_id else None,
        window_start=request.window_start,
        window_end=request.window_end,
        currency=request.currency,
        mode=dispatch.mode,
        fixed_price_minor=dispatch.fixed_price_minor,
        wave=invitation.wave,
        rank=invitation.rank,
        explanation=(
            explanation(invitation.facts, request.skill.name)
            if invitation.facts
            else invitation.explanation
        ),
        status=invitation.status,
        invited_at=invitation.created_at,
        respond_by=dispatch.deadline_at,
        source=invitation.source,
        your_hourly_rate_minor=price.hourly_rate_minor if price else None,
        your_fixed_price_minor=price.fixed_price_minor if price else None,
    )


def invitation_list_for_helper(*, actor: User) -> list[InvitationView]:
    """The helper's open invitations on requests that still take offers, newest first
    (those the customer chose first)."""
    invitations = (
        Invitation.objects.filter(
            # A customer's own choice stays open after the waves stopped.
            Q(dispatch__state=DispatchState.ACTIVE) | Q(source=InvitationSource.DIRECT),
            helper=actor,
            status=InvitationStatus.OPEN,
            dispatch__request__state__in=OPEN_FOR_OFFERS,
        )
        .select_related("dispatch__request__skill")
        .order_by("-created_at", "-id")
    )
    views = [_view(invitation) for invitation in invitations]
    return sorted(views, key=lambda view: view.source != InvitationSource.DIRECT)


def get_invitation_for(actor: User, invitation_id: int) -> Invitation:
    """The invitation if it is the actor's own (operators see all), else NotFound."""
    invitation = (
        Invitation.objects.select_related("dispatch__request__skill")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not actor.is_authenticated:
        raise NotFound("No such invitation.")
    if invitation.helper_id == actor.pk or actor.is_staff:
        return invitation
    raise NotFound("No such invitation.")


def invitation_view(invitation: Invitation) -> InvitationView:
    return _view(invitation)


# --- customers: how their request is being dispatched -------------------------------------


@dataclass(frozen=True)
class WaveSummary:
    wave: int
    invited: int
    sent_at: datetime
    by_status: dict[str, int]


@dataclass(frozen=True)
class DispatchSummary:
    request_id: int
    state: str
    mode: str
    fixed_price_minor: int | None
    wave: int
    invited: int
    open: int
    offers: int
    max_quotes: int | None
    next_wave_at: datetime | None
    deadline_at: datetime
    created_at: datetime
    waves: list[WaveSummary] = field(default_factory=list)


def dispatch_summary_for(actor: User, request_id: int) -> DispatchSummary:
    """For the request's customer (and operators): waves sent, helpers invited, the state.
    Counts only: who was invited is between Quartier and the helpers."""
    request = get_request_for(actor, request_id)  # NotFound outside the actor's scope
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        raise Forbidden(
            "Only the customer sees how a request is dispatched.", code="not_your_request"
        )
    dispatch = Dispatch.objects.filter(request_id=request.pk).first()
    if dispatch is None:
        raise NotFound("This request is not being dispatched.", code="no_dispatch")
    rows = list(
        Invitation.objects.filter(dispatch=dispatch).values_list("wave", "status", "created_at")
    )
    counts: dict[int, Counter[str]] = {}
    sent: dict[int, datetime] = {}
    for wave, status, created_at in rows:
        counts.setdefault(wave, Counter())[status] += 1
        sent[wave] = min(sent.get(wave, created_at), created_at)
    waves = [
        WaveSummary(
            wave=wave,
            invited=sum(counts[wave].values()),
            sent_at=sent[wave],
            by_status=dict(sorted(counts[wave].items())),
        )
        for wave in sorted(counts)
    ]
    return DispatchSummary(
        request_id=request.pk,
        state=dispatch.state,
        mode=dispatch.mode,
        fixed_price_minor=dispatch.fixed_price_minor,
        wave=dispatch.wave,
        invited=len(rows),
        open=sum(1 for _, status, _ in rows if status == InvitationStatus.OPEN),
        offers=live_offer_count(request_id=request.pk),
        max_quotes=(
            settings.QUARTIER_DISPATCH_MAX_QUOTES if dispatch.mode == DispatchMode.QUOTES else None
        ),
        next_wave_at=dispatch.next_wave_at,
        deadline_at=dispatch.deadline_at,
        created_at=dispatch.created_at,
        waves=waves,
    )
