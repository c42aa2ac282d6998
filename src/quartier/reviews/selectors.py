"""Reads of reviews and scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

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


def review_list_about(*, user_id: int) -> QuerySet[Review]:
    return (
        Review.objects.filter(subject_id=user_id)
        .select_related("author")
        .prefetch_related("skill_ratings__skill")
    )


def review_list_for_booking(*, booking_id: int) -> QuerySet[Review]:
    return Review.objects.filter(booking_id=booking_id).prefetch_related("skill_ratings__skill")
