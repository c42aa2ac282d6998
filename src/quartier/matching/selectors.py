"""Reads for matching: the ranked, explained matches of a request, and who can serve what."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from quartier.accounts.holds import held_filters
from quartier.accounts.models import HelperProfile, User
from quartier.catalog.models import Skill
from quartier.catalog.selectors import skill_prices
from quartier.errors import Forbidden
from quartier.geo.distance import haversine_km
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.reviews.selectors import Score, skill_scores_for
from quartier.vetting.selectors import verified_helper_ids

from .engine import Candidate, MatchQuery, bounding_box, rank
from .explain import explanation, explanation_facts
from .models import MatchIndex
from .pools import pool_helper_ids_for_request


@dataclass(frozen=True)
class Match:
    helper_id: int
    name: str
    locality: str
    distance_km: float
    service_radius_km: int
    hourly_rate_minor: int  # the skill's own rate, else the profile's
    currency: str
    score: Score  # plain average and count in the request's skill, as shown to people
    candidate: Candidate
    facts: dict[str, float | int | None]  # the explanation's figures
    skill: Skill
    #: The helper's identity is checked by an operator (the "verified" badge).
    verified: bool = False
    fixed_price_minor: int | None = None  # a standard job of the skill, bookable at once
    fixed_duration_minutes: int = 120
    has_photo: bool = False  # a profile photo to show beside the name

    @property
    def explanation(self) -> str:
        """Why this helper is shown, in the reader's (active) language."""
        return explanation(self.facts, self.skill.name)

    @property
    def score_parts(self) -> dict[str, float]:
        return self.candidate.parts.as_dict()


def matchable_helpers() -> QuerySet[HelperProfile]:
    helpers = HelperProfile.objects.filter(
        is_available=True,
        suspended_at__isnull=True,
        tax_data_hold_since__isnull=True,
        contractor_terms_accepted_at__isnull=False,
        user__is_active=True,
        user__is_helper=True,
    )
    for held in held_filters():  # e.g. open commission over the limit (payments)
        helpers = helpers.exclude(user_id__in=held)
    return helpers


def request_query(
    request: JobRequest, *, limit: int, exclude: set[int] | None = None
) -> MatchQuery:
    return MatchQuery(
        skill_id=request.skill_id,
        latitude=request.latitude,
        longitude=request.longitude,
        window_start=max(request.window_start, timezone.now()),
        window_end=request.window_end,
        limit=limit,
        exclude_helper_ids={request.customer_id or 0} | (exclude or set()),
        seed=request.pk,
        qualified_helper_ids=pool_helper_ids_for_request(request.pk),
    )


def explain_candidates(
    candidates: list[Candidate], *, skill_id: int, skill: Skill | None = None
) -> list[Match]:
    """Names, rates, badges and plain review figures for ranked candidates (four queries;
    five without the `skill` object)."""
    if not candidates:
        return []
    ids = [c.helper_id for c in candidates]
    profiles = {
        p.user_id: p for p in HelperProfile.objects.select_related("user").filter(user_id__in=ids)
    }
    scores = skill_scores_for(helper_ids=ids, skill_id=skill_id)
    if skill is None or skill.pk != skill_id:
        skill = Skill.objects.get(pk=skill_id)
    verified = verified_helper_ids(ids)
    prices = skill_prices(
        helper_ids=ids,
        skill_id=skill_id,
        profile_rates={p.user_id: p.hourly_rate_minor for p in profiles.values()},
    )
    matches = []
    for c in candidates:
        profile = profiles[c.helper_id]
        price = prices[c.helper_id]
        matches.append(
            Match(
                helper_id=c.helper_id,
                name=profile.user.full_name,
                locality=profile.locality,
                distance_km=round(c.distance_km, 1),
                service_radius_km=c.radius_km,
                hourly_rate_minor=price.hourly_rate_minor,
                currency=profile.currency,
                score=scores[c.helper_id],
                candidate=c,
                facts=explanation_facts(c, scores[c.helper_id]),
                skill=skill,
                verified=c.helper_id in verified,
                fixed_price_minor=price.fixed_price_minor,
                fixed_duration_minutes=price.fixed_duration_minutes,
                has_photo=bool(profile.user.photo),
            )
        )
    return matches


def match_helpers(request: JobRequest, *, limit: int | None = None) -> list[Match]:
    """The best helpers for `request`, ranked and explained (see ranking.py)."""
    limit = settings.QUARTIER_MATCH_LIMIT if limit is None else limit
    candidates = rank(request_query(request, limit=limit))
    # The skill came with the request (select_related) where the caller read it so.
    skill = request.skill if JobRequest.skill.is_cached(request) else None
    return explain_candidates(candidates, skill_id=request.skill_id, skill=skill)


def match_list_for(
    actor: User, request_id: int, *, limit: int | None = None, checked: JobRequest | None = None
) -> list[Match]:
    """Matches for the customer who owns the request (or an operator). `checked`: the
    request as `get_request_for(actor, request_id)` returned it to the caller already."""
    request = checked if checked is not None else get_request_for(actor, request_id)
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        raise Forbidden(
            "Only the customer sees the matches for a request.", code="not_your_request"
        )
    return match_helpers(request, limit=limit)


def open_requests_for_helper(*, helper: User, limit: int = 50) -> list[tuple[JobRequest, float]]:
    """The helper's inbox: open requests they could serve, nearest first, with distance."""
    rows = list(MatchIndex.objects.filter(helper_id=helper.pk))
    if not rows:
        return []
    home = rows[0]
    candidates = (
        JobRequest.objects.filter(
            state__in=OPEN_FOR_OFFERS,
            skill_id__in=[r.skill_id for r in rows],
            window_end__gt=timezone.now(),
            **bounding_box(home.latitude, home.longitude, home.radius_km),
        )
        .exclude(customer=helper)
        .select_related("skill", "customer")
    )
    in_reach = []
    for request in candidates:
        distance = haversine_km(home.latitude, home.longitude, request.latitude, request.longitude)
        if distance <= home.radius_km:
            in_reach.append((request, distance))
    in_reach.sort(key=lambda pair: (pair[1], pair[0].pk))
    return in_reach[:limit]
