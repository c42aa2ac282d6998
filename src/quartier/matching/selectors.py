"""The matcher: which helpers can serve a request, best first.

A first, simple and correct version: helpers who have the skill, whose *own* service radius
covers the request location, who are available, not suspended and have accepted the
contractor terms; ordered by distance (0.1 km steps), then by rating. A bounding box on
the indexed coordinates keeps the candidate set small; the exact haversine decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from quartier.accounts.models import HelperProfile, User
from quartier.errors import Forbidden
from quartier.geo.distance import haversine_km
from quartier.jobs.models import Request
from quartier.jobs.selectors import get_request_for
from quartier.reviews.selectors import Score, skill_scores_for

KM_PER_DEGREE_LAT = 111.32


@dataclass(frozen=True)
class Match:
    helper_id: int
    name: str
    locality: str
    distance_km: float
    service_radius_km: int
    hourly_rate_minor: int
    currency: str
    score: Score

    @property
    def explanation(self) -> str:
        rating = (
            f"{self.score.average:.1f} from {self.score.count} reviews"
            if self.score.count
            else "no reviews yet"
        )
        return f"{self.distance_km:.1f} km away · {rating}"


def matchable_helpers() -> QuerySet[HelperProfile]:
    return HelperProfile.objects.filter(
        is_available=True,
        suspended_at__isnull=True,
        contractor_terms_accepted_at__isnull=False,
        user__is_active=True,
        user__is_helper=True,
    )


def _bounding_box(latitude: float, longitude: float, km: float) -> dict[str, float]:
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(latitude))))
    return {
        "latitude__gte": latitude - dlat,
        "latitude__lte": latitude + dlat,
        "longitude__gte": longitude - dlon,
        "longitude__lte": longitude + dlon,
    }


def match_helpers(request: Request, *, limit: int | None = None) -> list[Match]:
    """The helpers who can serve `request`, nearest first, then best rated."""
    limit = settings.QUARTIER_MATCH_LIMIT if limit is None else limit
    box = _bounding_box(
        request.latitude, request.longitude, settings.QUARTIER_MAX_SERVICE_RADIUS_KM
    )
    candidates = (
        matchable_helpers()
        .filter(user__helper_skills__skill_id=request.skill_id, **box)
        .exclude(user_id=request.customer_id)
        .select_related("user")
    )
    in_reach = []
    for profile in candidates:
        distance = haversine_km(
            request.latitude, request.longitude, profile.latitude, profile.longitude
        )
        if distance <= profile.service_radius_km:
            in_reach.append((profile, distance))
    scores = skill_scores_for(
        helper_ids=[p.user_id for p, _ in in_reach], skill_id=request.skill_id
    )
    matches = [
        Match(
            helper_id=profile.user_id,
            name=profile.user.full_name,
            locality=profile.locality,
            distance_km=round(distance, 1),
            service_radius_km=profile.service_radius_km,
            hourly_rate_minor=profile.hourly_rate_minor,
            currency=profile.currency,
            score=scores[profile.user_id],
        )
        for profile, distance in in_reach
    ]
    matches.sort(key=lambda m: (m.distance_km, -m.score.average, m.helper_id))
    return matches[:limit]


def helper_can_serve(*, helper: User, request: Request) -> bool:
    """True when the matcher would consider `helper` for `request` (ignoring the limit)."""
    profile = matchable_helpers().filter(user=helper).first()
    if profile is None or request.customer_id == helper.pk:
        return False
    if not profile.user.helper_skills.filter(skill_id=request.skill_id).exists():
        return False
    distance = haversine_km(
        request.latitude, request.longitude, profile.latitude, profile.longitude
    )
    return distance <= profile.service_radius_km


def match_list_for(actor: User, request_id: int, *, limit: int | None = None) -> list[Match]:
    """Matches for the customer who owns the request (or an operator)."""
    request = get_request_for(actor, request_id)
    if request.customer_id != actor.pk and not actor.is_staff:
        raise Forbidden(
            "Only the customer sees the matches for a request.", code="not_your_request"
        )
    return match_helpers(request, limit=limit)


def open_requests_for_helper(*, helper: User, limit: int = 50) -> list[tuple[Request, float]]:
    """The helper's inbox: open requests they could serve, nearest first, with distance."""
    from django.utils import timezone

    from quartier.jobs.states import OPEN_FOR_OFFERS

    profile = matchable_helpers().filter(user=helper).first()
    if profile is None:
        return []
    skill_ids = list(helper.helper_skills.values_list("skill_id", flat=True))
    box = _bounding_box(profile.latitude, profile.longitude, profile.service_radius_km)
    candidates = (
        Request.objects.filter(
            state__in=OPEN_FOR_OFFERS,
            skill_id__in=skill_ids,
            window_end__gt=timezone.now(),
            **box,
        )
        .exclude(customer=helper)
        .select_related("skill", "customer")
    )
    in_reach = []
    for request in candidates:
        distance = haversine_km(
            profile.latitude, profile.longitude, request.latitude, request.longitude
        )
        if distance <= profile.service_radius_km:
            in_reach.append((request, distance))
    in_reach.sort(key=lambda pair: (pair[1], pair[0].pk))
    return in_reach[:limit]
