"""Matching API: the customer's matched helpers, and the helper's inbox of requests."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.jobs.schemas import RequestOut
from quartier.jobs.selectors import request_view

from .selectors import match_list_for, open_requests_for_helper

router = Router(tags=["matching"], auth=api_auth)


class MatchOut(Schema):
    helper_id: int
    name: str
    locality: str
    distance_km: float
    service_radius_km: int
    hourly_rate_minor: int
    currency: str
    rating_average: float = Field(description="In the request's skill.")
    rating_count: int
    explanation: str = Field(examples=["2.3 km away · 4.8 from 31 reviews"])


@router.get("/requests/{request_id}/matches", response=list[MatchOut])
def matches(request: HttpRequest, request_id: int) -> list[MatchOut]:
    """Helpers who can serve your request: skill, their own radius covers you, available.

    Ordered by distance, then by rating in the request's skill.
    """
    return [
        MatchOut(
            helper_id=m.helper_id,
            name=m.name,
            locality=m.locality,
            distance_km=m.distance_km,
            service_radius_km=m.service_radius_km,
            hourly_rate_minor=m.hourly_rate_minor,
            currency=m.currency,
            rating_average=round(m.score.average, 2),
            rating_count=m.score.count,
            explanation=m.explanation,
        )
        for m in match_list_for(current_user(request), request_id)
    ]


@router.get("/inbox/requests", response=list[RequestOut])
def inbox(request: HttpRequest) -> list[RequestOut]:
    """For helpers: open requests in your skills whose location your radius covers."""
    actor = current_user(request)
    return [
        RequestOut(**asdict(request_view(actor, job)))
        for job, _ in open_requests_for_helper(helper=actor)
    ]
