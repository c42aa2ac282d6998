"""Reviews API: rate the other party of a completed booking (blind until both are in or the
window ends); reply once to a review about you; report a review; read a helper's reviews."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.selectors import helper_profile_get

from .models import Review
from .selectors import review_list_about
from .services import review_create, review_reply, review_report

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
    skill_ratings: list[SkillRatingOut] = Field(description="Filled once published.")
    created_at: datetime
    published_at: datetime | None = Field(
        description="None: blind, only its author sees it until the other review is in or "
        "14 days after completion."
    )
    reply: str
    replied_at: datetime | None


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=1000)


class ReportIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class ReportOut(Schema):
    id: int
    review_id: int
    status: str


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
        published_at=review.published_at,
        reply=review.reply,
        replied_at=review.replied_at,
    )


def _full(review_id: int) -> ReviewOut:
    return review_out(
        Review.objects.select_related("author")
        .prefetch_related("skill_ratings__skill")
        .get(pk=review_id)
    )


@router.post(
    "/bookings/{booking_id}/reviews",
    response={201: ReviewOut},
    auth=api_auth,
    operation_id="quartier_reviews_api_create_review",
)
def create_review(request: HttpRequest, booking_id: int, payload: ReviewIn) -> Status[ReviewOut]:
    """Once per party, after completion (a second attempt: 409 `already_reviewed`). Blind:
    published with the other side's review, or 14 days after completion; then the booking
    closes."""
    review = review_create(
        actor=current_user(request),
        booking_id=booking_id,
        rating=payload.rating,
        text=payload.text,
        skill_ratings=[(s.skill, s.rating) for s in payload.skill_ratings],
    )
    return Status(201, _full(review.pk))


@router.post(
    "/reviews/{review_id}/reply",
    response={201: ReviewOut},
    auth=api_auth,
    operation_id="quartier_reviews_api_reply",
)
def reply_to_review(request: HttpRequest, review_id: int, payload: ReplyIn) -> Status[ReviewOut]:
    """The reviewed party answers a published review, once (again: 409 `already_replied`)."""
    review = review_reply(actor=current_user(request), review_id=review_id, text=payload.text)
    return Status(201, _full(review.pk))


@router.post(
    "/reviews/{review_id}/reports",
    response={201: ReportOut},
    auth=api_auth,
    operation_id="quartier_reviews_api_report",
)
def report_review(request: HttpRequest, review_id: int, payload: ReportIn) -> Status[ReportOut]:
    """Flag a published review (not your own) for the operators, once per person."""
    report = review_report(actor=current_user(request), review_id=review_id, reason=payload.reason)
    return Status(201, ReportOut(id=report.pk, review_id=review_id, status=report.status))


@router.get("/helpers/{helper_id}/reviews", response=list[ReviewOut], auth=None)
def helper_reviews(request: HttpRequest, helper_id: int) -> list[ReviewOut]:
    """Public: what customers said about a helper, newest first."""
    helper_profile_get(helper_id=helper_id)
    return [
        review_out(r)
        for r in review_list_about(user_id=helper_id).filter(direction="customer_to_helper")[:100]
    ]
