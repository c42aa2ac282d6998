"""Reads for matching: the ranked, explained matches of a request, and who can serve what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from quartier.accounts.holds import held_filters
from quartier.accounts.models import HelperProfile, User
from quartier.catalog.models import HelperSkill, Skill
from quartier.catalog.selectors import SkillPrice
from quartier.errors import Forbidden
from quartier.favourites.models import Favourite
from quartier.geo.distance import haversine_km
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.reviews.models import SkillScore
from quartier.reviews.selectors import Score
from quartier.vetting.models import CheckKind, CheckStatus, VettingCheck

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
    is_favourite: bool = False  # the customer asking marked them (explain_candidates)

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


#: What a match card shows, for the helpers of one skill, in one statement: the profile and
#: name, the skill's review figures and own prices (LEFT JOINs: either may be missing), the
#: identity badge (`vetting.selectors.valid_checks`: approved, not expired) and the asking
#: customer's favourite mark. Plain SQL: the same query through the ORM's subqueries cost
#: 2.4 ms of CPU to compile for 0.07 ms in the database, a third of a matches call.
_CARDS_SQL = """
SELECT p.user_id, p.locality, p.currency, p.hourly_rate_minor, u.full_name, u.photo,
       s.rating_count, s.rating_sum, hs.hourly_rate_minor, hs.fixed_price_minor,
       hs.fixed_duration_minutes,
       EXISTS (SELECT 1 FROM {check} v WHERE v.helper_id = p.user_id AND v.kind = %s
               AND v.status = %s AND (v.expires_on IS NULL OR v.expires_on >= %s)),
       EXISTS (SELECT 1 FROM {favourite} f WHERE f.customer_id = %s AND f.helper_id = p.user_id)
FROM {profile} p
JOIN {user} u ON u.id = p.user_id
LEFT JOIN {score} s ON s.helper_id = p.user_id AND s.skill_id = %s
LEFT JOIN {declared} hs ON hs.helper_id = p.user_id AND hs.skill_id = %s
WHERE p.user_id IN ({ids})
"""


@dataclass(frozen=True)
class _Card:
    locality: str
    currency: str
    profile_rate: int
    name: str
    photo: str
    score: Score
    price: SkillPrice
    verified: bool
    favourite: bool


def _cards(ids: list[int], *, skill_id: int, customer_id: int | None) -> dict[int, _Card]:
    """Per helper id (those with a profile), what its match card shows (one query)."""
    sql = _CARDS_SQL.format(
        check=VettingCheck._meta.db_table,
        favourite=Favourite._meta.db_table,
        profile=HelperProfile._meta.db_table,
        user=User._meta.db_table,
        score=SkillScore._meta.db_table,
        declared=HelperSkill._meta.db_table,
        ids=", ".join(["%s"] * len(ids)),
    )
    today = timezone.localdate()
    params: list[str | int | date] = [CheckKind.IDENTITY.value, CheckStatus.APPROVED.value, today]
    params.append(customer_id or 0)
    params += [skill_id, skill_id, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    cards = {}
    for helper_id, locality, currency, rate, name, photo, count, total, *rest in rows:
        own_rate, fixed_price, fixed_minutes, verified, favourite = rest
        cards[helper_id] = _Card(
            locality=locality,
            currency=currency,
            profile_rate=rate,
            name=name,
            photo=photo or "",
            score=Score(count or 0, total or 0),
            # the skill's own rate, else the profile's (as catalog.selectors.skill_prices)
            price=SkillPrice(
                hourly_rate_minor=own_rate or rate,
                fixed_price_minor=fixed_price,
                fixed_duration_minutes=120 if fixed_minutes is None else fixed_minutes,
                own_rate=own_rate is not None,
            ),
            verified=bool(verified),
            favourite=bool(favourite) and customer_id is not None,
        )
    return cards


def explain_candidates(
    candidates: list[Candidate],
    *,
    skill_id: int,
    skill: Skill | None = None,
    customer_id: int | None = None,
) -> list[Match]:
    """Names, rates, badges and plain review figures for ranked candidates, and whether
    `customer_id` marked them as favourites (one query; two without the `skill` object)."""
    if not candidates:
        return []
    cards = _cards([c.helper_id for c in candidates], skill_id=skill_id, customer_id=customer_id)
    if skill is None or skill.pk != skill_id:
        skill = Skill.objects.get(pk=skill_id)
    matches = []
    for c in candidates:
        card = cards[c.helper_id]
        matches.append(
            Match(
                helper_id=c.helper_id,
                name=card.name,
                locality=card.locality,
                distance_km=round(c.distance_km, 1),
                service_radius_km=c.radius_km,
                hourly_rate_minor=card.price.hourly_rate_minor,
                currency=card.currency,
                score=card.score,
                candidate=c,
                facts=explanation_facts(c, card.score),
                skill=skill,
                verified=card.verified,
                fixed_price_minor=card.price.fixed_price_minor,
                fixed_duration_minutes=card.price.fixed_duration_minutes,
                has_photo=bool(card.photo),
                is_favourite=card.favourite,
            )
        )
    return matches


def match_helpers(
    request: JobRequest, *, limit: int | None = None, customer_id: int | None = None
) -> list[Match]:
    """The best helpers for `request`, ranked and explained (see ranking.py); with
    `customer_id`, whether that customer marked each as a favourite."""
    limit = settings.QUARTIER_MATCH_LIMIT if limit is None else limit
    candidates = rank(request_query(request, limit=limit))
    # The skill came with the request (select_related) where the caller read it so.
    skill = request.skill if JobRequest.skill.is_cached(request) else None
    return explain_candidates(
        candidates, skill_id=request.skill_id, skill=skill, customer_id=customer_id
    )


def match_list_for(
    actor: User, request_id: int, *, limit: int | None = None, checked: JobRequest | None = None
) -> list[Match]:
    """Matches for the customer who owns the request (or an operator), the actor's
    favourites marked. `checked`: the request as `get_request_for(actor, request_id)`
    returned it to the caller already."""
    request = checked if checked is not None else get_request_for(actor, request_id, people=False)
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        raise Forbidden(
            "Only the customer sees the matches for a request.", code="not_your_request"
        )
    return match_helpers(request, limit=limit, customer_id=actor.pk)


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
