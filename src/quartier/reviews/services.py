"""Writing reviews (blind until published, see publication.py), replying to and reporting
them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.bookings.models import Booking
from quartier.bookings.selectors import get_booking_for
from quartier.bookings.states import SIGNED_OFF, VisitOutcome
from quartier.catalog.selectors import skill_get_by_slug
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import record_event
from quartier.jobs.states import RequestState

from .models import Direction, ReportStatus, Review, ReviewReport
from .publication import reviews_publish


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
    rated with the overall rating. The review stays blind (only its author sees it) until
    the other side's is in too, then both are published and the booking closes; else the
    reviews tick publishes it when the window ends.
    """
    booking = get_booking_for(actor, booking_id)
    direction, subject_id = _direction_and_subject(actor, booking)
    _check_rating("rating", rating)
    if Review.objects.filter(booking=booking, author=actor).exists():
        raise Conflict("You have already reviewed this booking.", code="already_reviewed")
    if booking.outcome == VisitOutcome.NOT_FIXED:
        raise Conflict(
            "A visit that could not fix the job is not reviewed.", code="not_fixed_visit"
        )
    # This booking's work, signed off: not a helper's earlier, cancelled booking of the job.
    if booking.request.state != RequestState.COMPLETED or booking.state != SIGNED_OFF:
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
                skill_ratings_given={str(k): v for k, v in per_skill.items()},
            )
            record_event(
                "review.written", review_id=review.pk, booking_id=booking.pk, direction=direction
            )
    except IntegrityError:
        raise Conflict("You have already reviewed this booking.", code="already_reviewed") from None
    if Review.objects.filter(booking=booking).count() == 2:
        reviews_publish(booking_id=booking.pk, reason="both_in")
    review.refresh_from_db()
    return review


def _published_review(review_id: int) -> Review:
    review = Review.objects.filter(
        pk=review_id, published_at__isnull=False, hidden_at__isnull=True
    ).first()
    if review is None:
        raise NotFound("No such review.")
    return review


def review_reply(*, actor: User, review_id: int, text: str) -> Review:
    """The reviewed party answers a published review, once."""
    review = _published_review(review_id)
    if review.subject_id != actor.pk:
        raise Forbidden("Only the person reviewed can reply.", code="not_reviewed_party")
    text = text.strip()
    if not text:
        raise field_error("text", "Write your reply.", code="reply_missing")
    if len(text) > 1000:
        raise field_error("text", "At most 1000 characters.", code="reply_too_long")
    done = Review.objects.filter(pk=review.pk, replied_at__isnull=True).update(
        reply=text, replied_at=timezone.now()
    )
    if not done:
        raise Conflict("You have already replied to this review.", code="already_replied")
    review.refresh_from_db()
    return review


def review_report(*, actor: User, review_id: int, reason: str) -> ReviewReport:
    """Anyone signed in flags a published review (not their own); operators decide."""
    review = _published_review(review_id)
    if review.author_id == actor.pk:
        raise Forbidden("You cannot report your own review.", code="own_review")
    reason = reason.strip()
    if not reason:
        raise field_error(
            "reason",
            "Say briefly what is wrong with this review.",
            code="review_report_reason_missing",
        )
    try:
        with transaction.atomic():
            return ReviewReport.objects.create(review=review, reporter=actor, reason=reason[:500])
    except IntegrityError:
        raise Conflict(
            "You have reported this review already.", code="review_already_reported"
        ) from None


def review_report_resolve(*, actor: User, report_id: int, uphold: bool) -> int:
    """An operator decides: upheld hides the review from every public list (its rating stays
    in the scores); every open report on it is closed alike. Returns the reports closed."""
    if not actor.is_staff:
        raise Forbidden("Only operators moderate reviews.", code="not_an_operator")
    report = ReviewReport.objects.filter(pk=report_id).first()
    if report is None:
        raise NotFound("No such report.")
    now = timezone.now()
    with transaction.atomic():
        action = "review_report.uphold" if uphold else "review_report.dismiss"
        record_operator_action(actor, action, report, report.reason)
        if uphold:
            Review.objects.filter(pk=report.review_id, hidden_at__isnull=True).update(hidden_at=now)
        return ReviewReport.objects.filter(
            review_id=report.review_id, status=ReportStatus.OPEN
        ).update(
            status=ReportStatus.UPHELD if uphold else ReportStatus.DISMISSED,
            resolved_at=now,
            resolved_by=actor,
        )
