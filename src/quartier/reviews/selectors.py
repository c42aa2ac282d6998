"""Reads of reviews and scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Direction, Review, SkillScore, UserScore


@dataclass(frozen=True)
class Score:
    count: int = 0
    total: int = 0

    @property
    def average(self) -> float:
        return self.total / self.count if self.count else 0.0


def skill_scores_for(*, helper_ids: Iterable[int], skill_id: int) -> defaultdict[int, Score]:
    """Each helper's score in one skill; helpers without ratings get an empty Score."""
    scores: defaultdict[int, Score] = defaultdict(Score)
    rows = SkillScore.objects.filter(helper_id__in=list(helper_ids), skill_id=skill_id)
    for row in rows:
        scores[row.helper_id] = Score(row.rating_count, row.rating_sum)
    return scores


def helper_skill_scores(*, helper_id: int) -> dict[str, Score]:
    rows = SkillScore.objects.filter(helper_id=helper_id).select_related("skill")
    return {row.skill.slug: Score(row.rating_count, row.rating_sum) for row in rows}


def user_score(*, user_id: int, direction: Direction) -> Score:
    row = UserScore.objects.filter(user_id=user_id, direction=direction).first()
    return Score(row.rating_count, row.rating_sum) if row else Score()


def published_reviews() -> QuerySet[Review]:
    """What anyone may see: published and not hidden by an operator."""
    return Review.objects.filter(published_at__isnull=False, hidden_at__isnull=True)


def review_list_about(*, user_id: int) -> QuerySet[Review]:
    """Published reviews about a person (public profiles, directory, API)."""
    return (
        published_reviews()
        .filter(subject_id=user_id)
        .select_related("author")
        .prefetch_related("skill_ratings__skill")
    )


def review_list_for_booking(*, booking_id: int, viewer_id: int) -> QuerySet[Review]:
    """A booking's reviews as one party sees them: the published ones and their own
    (still blind to the other side)."""
    return (
        Review.objects.filter(booking_id=booking_id, hidden_at__isnull=True)
        .filter(Q(published_at__isnull=False) | Q(author_id=viewer_id))
        .select_related("author")
        .prefetch_related("skill_ratings__skill")
    )


def review_written_by(*, booking_id: int, author_id: int) -> bool:
    return Review.objects.filter(booking_id=booking_id, author_id=author_id).exists()
