"""Publishing blind reviews: both at once when the second is written, or whatever was
written when the review window ends (the reviews tick). Publication is the one step that
moves what reviews feed: skill ratings and scores, the match index and directory
(`helper_changed`), and the `review.created` event (partners' `case.rated`, qualification
rechecks). Then the booking closes. Idempotent: a review is published once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.bookings.services import booking_close
from quartier.bookings.states import SIGNED_OFF, VisitOutcome
from quartier.events import helper_changed, record_event
from quartier.jobs.states import RequestState

from .models import Direction, Review, SkillRating, SkillScore, UserScore

#: From the booking's completion until both reviews are published anyway.
REVIEW_WINDOW = timedelta(days=14)


def review_window_opens_at(booking: Booking) -> datetime | None:
    """When the first review could be written: the booking's completion (its sign-off)."""
    return booking.completed_at


def reviews_publish(*, booking_id: int, reason: str) -> int:
    """Publish the booking's unpublished reviews and close the booking; returns how many
    reviews were published (0 when another run got there first)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        now = timezone.now()
        pending = list(
            Review.objects.filter(booking=booking, published_at__isnull=True).order_by("id")
        )
        for review in pending:
            review.published_at = now
            review.save(update_fields=["published_at"])
            _derive(review, booking)
        if pending:
            record_event(
                "reviews.published",
                booking_id=booking.pk,
                request_id=booking.request_id,
                review_ids=[r.pk for r in pending],
                reason=reason,
            )
        if booking.request.state == RequestState.COMPLETED:
            booking_close(actor=None, booking_id=booking.pk)
    return len(pending)


def _derive(review: Review, booking: Booking) -> None:
    """What one published review moves."""
    for skill_id, rating in review.skill_ratings_given.items():
        SkillRating.objects.create(review=review, skill_id=int(skill_id), rating=rating)
        _add_to(SkillScore, rating, helper_id=review.subject_id, skill_id=int(skill_id))
    _add_to(UserScore, review.rating, user_id=review.subject_id, direction=review.direction)
    if review.direction == Direction.CUSTOMER_TO_HELPER:
        helper_changed.send(sender=Review, helper_id=review.subject_id)
    record_event(
        "review.created",
        review_id=review.pk,
        subject_id=review.subject_id,
        booking_id=booking.pk,
        request_id=booking.request_id,
        direction=review.direction,
        rating=review.rating,
    )


def _add_to(model: type[SkillScore] | type[UserScore], rating: int, **key: Any) -> None:
    """Add one rating to a running total: an upsert plus an F() update, race-free."""
    row, _ = model.objects.get_or_create(**key)
    model.objects.filter(pk=row.pk).update(
        rating_count=F("rating_count") + 1, rating_sum=F("rating_sum") + rating
    )


def reviews_tick(*, now: datetime | None = None) -> str:
    """Every signed-off booking whose review window (from its sign-off) has ended: publish
    what was written, if anything, and close it."""
    cutoff = (now or timezone.now()) - REVIEW_WINDOW
    due = (
        Booking.objects.filter(
            request__state=RequestState.COMPLETED, state=SIGNED_OFF, completed_at__lte=cutoff
        )
        .exclude(outcome=VisitOutcome.NOT_FIXED)  # not reviewed; the job's booking closes it
        .values_list("pk", flat=True)
    )
    published = closed = 0
    for booking_id in list(due[:500]):
        published += reviews_publish(booking_id=booking_id, reason="window_ended")
        closed += 1
    return f"{closed} review windows ended, {published} reviews published" if closed else ""
