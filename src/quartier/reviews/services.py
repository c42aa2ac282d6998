"""Writing reviews and keeping the running scores in step with them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.selectors import get_booking_for
from quartier.bookings.services import booking_close
from quartier.catalog.selectors import skill_get_by_slug
from quartier.errors import Conflict, Forbidden, field_error
from quartier.events import helper_changed, record_event
from quartier.jobs.states import RequestState

from .models import Direction, Review, SkillRating, SkillScore, UserScore


def _check_rating(field: str, rating: int) -> None:
    if not 1 <= rating <= 5:
        raise field_error(field, "A rating is a whole number from 1 to 5.", code="bad_rating")


def _direction_and_subject(actor: User, booking: Booking) -> tuple[Direction, int]:
    """Who rates whom: the customer the helper, or the helper the (joined) customer."""
    if actor.pk == booking.customer_id:
        return Direction.CUSTOMER_TO_HELPER, booking.helper_id
    if actor.pk == booking.helper_id and booking.customer_id is not None:
        return Direction.HELPER_TO_CUSTOMER, booking.customer_id
    if actor.pk == booking.helper_id:
        raise Conflict(
            "The customer has not joined Quartier yet, so there is no one to review.",
            code="customer_not_joined",
        )
    raise Forbidden("Only the two parties of a booking can review it.", code="wrong_party")


def _per_skill_ratings(
    booking: Booking, direction: Direction, rating: int, skill_ratings: Sequence[tuple[str, int]]
) -> dict[int, int]:
    """Skill id -> rating: the customer rates each skill used on the job (the overall rating
    for those not given); a helper rates the customer overall only."""
    if direction != Direction.CUSTOMER_TO_HELPER:
        if skill_ratings:
            raise field_error(
                "skill_ratings", "Customers are rated overall only.", code="customer_skill_ratings"
            )
        return {}
    used = {booking.request.skill_id}
    per_skill: dict[int, int] = {}
    for index, (slug, skill_rating) in enumerate(skill_ratings):
        skill = skill_get_by_slug(slug, field=f"skill_ratings.{index}.skill")
        if skill.pk not in used:
            raise field_error(
                f"skill_ratings.{index}.skill",
                f"'{slug}' was not used on this job.",
                code="skill_not_used",
            )
        _check_rating(f"skill_ratings.{index}.rating", skill_rating)
        per_skill[skill.pk] = skill_rating
    for skill_id in used:
        per_skill.setdefault(skill_id, rating)
    return per_skill


def review_create(
    *,
    actor: User,
    booking_id: int,
    rating: int,
    text: str = "",
    skill_ratings: Sequence[tuple[str, int]] = (),
) -> Review:
    """One party of a completed booking rates the other, once.

    The customer also rates the helper per skill used on the job; skills not given are
    rated with the overall rating. When both sides have reviewed, the booking closes.
    """
    booking = get_booking_for(actor, booking_id)
    direction, subject_id = _direction_and_subject(actor, booking)
    _check_rating("rating", rating)
    if booking.request.state != RequestState.COMPLETED:
        raise Conflict("Reviews open once the work is completed.", code="not_completed")
    per_skill = _per_skill_ratings(booking, direction, rating, skill_ratings)

    try:
        with transaction.atomic():
            review = Review.objects.create(
                booking=booking,
                author=actor,
                subject_id=subject_id,
                direction=direction,
                rating=rating,
                text=text.strip(),
            )
            for skill_id, skill_rating in per_skill.items():
                SkillRating.objects.create(review=review, skill_id=skill_id, rating=skill_rating)
                _add_to(SkillScore, skill_rating, helper_id=subject_id, skill_id=skill_id)
            _add_to(UserScore, rating, user_id=subject_id, direction=direction)
            if direction == Direction.CUSTOMER_TO_HELPER:
                helper_changed.send(sender=Review, helper_id=subject_id)
            record_event(
                "review.created",
                review_id=review.pk,
                subject_id=subject_id,
                booking_id=booking.pk,
                request_id=booking.request_id,
                direction=direction,
                rating=rating,
            )
            if Review.objects.filter(booking=booking).count() == 2:
                booking_close(actor=actor, booking_id=booking.pk)
    except IntegrityError:
        raise Conflict("You have already reviewed this booking.", code="already_reviewed") from None
    return review


def _add_to(model: type[SkillScore] | type[UserScore], rating: int, **key: Any) -> None:
    """Add one rating to a running total: an upsert plus an F() update, race-free."""
    row, _ = model.objects.get_or_create(**key)
    model.objects.filter(pk=row.pk).update(
        rating_count=F("rating_count") + 1, rating_sum=F("rating_sum") + rating
    )
