"""Matching API: ranked, explained matches; the helper's inbox; why a helper is not matched."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.jobs.schemas import RequestOut
from quartier.jobs.selectors import RequestView, get_request_for, request_view
from quartier.schemas import list_of

from .explain import why_not
from .ranking import RANKING_IN_PLAIN_WORDS, ranking_params
from .selectors import match_list_for, open_requests_for_helper

router = Router(tags=["matching"], auth=api_auth)


class ScorePartsOut(Schema):
    distance: float
    rating: float
    reliability: float
    response: float
    program: float
    exploration: float
    total: float


class MatchOut(Schema):
    helper_id: int
    name: str
    locality: str
    distance_km: float
    service_radius_km: int
    hourly_rate_minor: int = Field(description="The rate for the request's skill.")
    fixed_price_minor: int | None = Field(
        None, description="A fixed price for a standard job of the skill: bookable at once."
    )
    fixed_duration_minutes: int = 120
    is_favourite: bool = Field(False, description="You marked this helper as a favourite.")
    currency: str
    rating_average: float = Field(description="Plain average in the request's skill.")
    rating_count: int
    score: ScorePartsOut = Field(description="The ranking score and its weighted parts.")
    verified: bool = Field(description="An operator has checked the helper's identity.")
    explanation: str = Field(
        examples=[
            "2.3 km away · 4.8 in TV & set-top box from 31 reviews · usually answers within 20 min"
        ]
    )


class ReasonOut(Schema):
    code: str = Field(
        description="taken, not_matchable, skill, outside_radius, unavailable, capacity, ranking"
    )
    message: str


class RankingOut(Schema):
    description: str
    parameters: dict[str, float]


@router.get("/requests/{request_id}/matches", response=list[MatchOut])
def matches(request: HttpRequest, request_id: int) -> list[MatchOut]:
    """The best helpers for your request, ranked and explained (see `GET /ranking`); your
    favourites are marked."""
    actor = current_user(request)
    found = match_list_for(actor, request_id)
    return [
        MatchOut(
            helper_id=m.helper_id,
            name=m.name,
            locality=m.locality,
            distance_km=m.distance_km,
            service_radius_km=m.service_radius_km,
            hourly_rate_minor=m.hourly_rate_minor,
            fixed_price_minor=m.fixed_price_minor,
            fixed_duration_minutes=m.fixed_duration_minutes,
            is_favourite=m.is_favourite,
            currency=m.currency,
            rating_average=round(m.score.average, 2),
            rating_count=m.score.count,
            score=ScorePartsOut(**m.score_parts),
            explanation=m.explanation,
            verified=m.verified,
        )
        for m in found
    ]


@router.get("/requests/{request_id}/why-not", response=list[ReasonOut])
def why_not_matched(request: HttpRequest, request_id: int) -> list[ReasonOut]:
    """For helpers: why you are not among this request's matches (empty when you are)."""
    actor = current_user(request)
    job = get_request_for(actor, request_id)
    return [ReasonOut(code=r.code, message=r.message) for r in why_not(helper=actor, request=job)]


@router.get("/inbox/requests", response=list_of(RequestOut))
def inbox(request: HttpRequest) -> list[RequestView]:
    """For helpers: open requests in your skills whose location your radius covers."""
    actor = current_user(request)
    return [request_view(actor, job) for job, _ in open_requests_for_helper(helper=actor)]


@router.get("/ranking", response=RankingOut, auth=None)
def ranking(request: HttpRequest) -> RankingOut:
    """How matches are ranked, in plain words, with the parameters in force."""
    return RankingOut(description=RANKING_IN_PLAIN_WORDS, parameters=ranking_params())
