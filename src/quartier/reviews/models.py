"""Reviews after a completed booking, and the running scores they feed.

Reviews are blind: a review is written unpublished (`published_at` None) and only its author
sees it; both reviews of a booking are published together when the second one is written, or
by the reviews tick when the review window ends. Skill ratings and scores are written at
publication, so nothing derived from a review moves before then."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Direction(models.TextChoices):
    CUSTOMER_TO_HELPER = "customer_to_helper", "Customer rates helper"
    HELPER_TO_CUSTOMER = "helper_to_customer", "Helper rates customer"


class Review(models.Model):
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_received"
    )
    direction = models.CharField(max_length=20, choices=Direction.choices)
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Customer to helper: skill id (as text) -> rating, held until publication turns them
    #: into SkillRating rows (which ranking reads).
    skill_ratings_given = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    #: The reviewed party's one answer, public beside the review.
    reply = models.TextField(max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    #: An operator upheld a report: the review no longer shows anywhere public.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "author"], name="review_once_per_booking"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ by {self.author_id} on booking {self.booking_id}"


class SkillRating(models.Model):
    """The customer's rating of the helper in one skill used on the job (published only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="skill_ratings")
    skill = models.ForeignKey("catalog.Skill", on_delete=models.PROTECT)
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "skill"], name="skill_rating_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="skill_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.skill_id}"


class UserScore(models.Model):
    """Running totals of the ratings a user received (as helper or as customer)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "direction"], name="user_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.direction}: {self.rating_sum}/{self.rating_count}"


class SkillScore(models.Model):
    """Running totals of a helper's ratings in one skill: what ranking and badges use."""

    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    skill = models.ForeignKey("catalog.Skill", on_delete=models.CASCADE)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["helper", "skill"], name="skill_score_once")]

    def __str__(self) -> str:
        return f"{self.helper_id} {self.skill_id}: {self.rating_sum}/{self.rating_count}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld (review hidden)"
    DISMISSED = "dismissed", "Dismissed"


class ReviewReport(models.Model):
    """Someone flags a published review; operators work the open ones in the back office
    (as messaging's AbuseReport)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports"
    )
    reason = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["status", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="review_report_once"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="review_report_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"report on review {self.review_id} ({self.status})"
