"""Reviews API: rate the other party of a completed booking; read a helper's reviews."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.selectors import helper_profile_get

from .models import Review
from .selectors import review_list_about
from .services import review_create

router = Router(tags=["reviews"])


class SkillRatingIn(Schema):
    skill: str
    rating: int = Field(ge=1, le=5)


class ReviewIn(Schema):
    rating: int = Field(ge=1, le=5, description="Overall, 1 to 5 stars.")
    text: str = Field(default="", max_length=2000)
    skill_ratings: list[SkillRatingIn] = Field(
        default_factory=list,
        max_length=10,
        description="Customers only: per skill used; defaults to the overall rating.",
    )


class SkillRatingOut(Schema):
    skill: str
    rating: int


class ReviewOut(Schema):
    id: int
    booking_id: int
    author_name: str
    subject_id: int
    direction: str
    rating: int
    text: str
    skill_ratings: list[SkillRatingOut]
    created_at: datetime


def review_out(review: Review) -> ReviewOut:
    return ReviewOut(
        id=review.pk,
        booking_id=review.booking_id,
        author_name=review.author.first_name,
        subject_id=review.subject_id,
        direction=review.direction,
        rating=review.rating,
        text=review.text,
        skill_ratings=[
            SkillRatingOut(skill=sr.skill.slug, rating=sr.rating)
            for sr in review.skill_ratings.all()
        ],
        created_at=review.created_at,
    )


@router.post("/bookings/{booking_id}/reviews", response={201: ReviewOut}, auth=api_auth)
def create_review(request: HttpRequest, booking_id: int, payload: ReviewIn) -> Status[ReviewOut]:
    """Once per party, after completion. Both reviews in: the booking closes."""
    review = review_create(
        actor=current_user(request),
        booking_id=booking_id,
        rating=payload.rating,
        text=payload.text,
        skill_ratings=[(s.skill, s.rating) for s in payload.skill_ratings],
    )
    return Status(
        201, review_out(Review.objects.prefetch_related("skill_ratings__skill").get(pk=review.pk))
    )


@router.get("/helpers/{helper_id}/reviews", response=list[ReviewOut], auth=None)
def helper_reviews(request: HttpRequest, helper_id: int) -> list[ReviewOut]:
    """Public: what customers said about a helper, newest first."""
    helper_profile_get(helper_id=helper_id)
    return [
        review_out(r)
        for r in review_list_about(user_id=helper_id).filter(direction="customer_to_helper")[:100]
    ]
