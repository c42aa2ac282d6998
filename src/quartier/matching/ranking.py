"""How matches are ranked: one documented score, weights in settings.

    score = w_distance    · distance_score      (1 at the door, halves every `distance_half_km`)
          + w_rating      · rating_score        (Bayesian mean in the skill, 1 → 0, 5 → 1)
          + w_reliability · reliability         (share of commitments kept, with a prior)
          + w_response    · response_score      (1 / (1 + median minutes to answer / 60))
          + w_program     · program_qualified   (partner cases: qualified for the program)
          + w_exploration · exploration_boost   (new in the skill: 1 → 0 over the first jobs)

The rating is a Bayesian average: `prior_weight` pseudo-reviews at `prior_mean` are mixed in,
and every review's weight halves every `rating_half_life_days`, so one 5-star review does not
beat forty at 4.8 and old reviews fade. Reliability counts only commitments broken *after*
accepting (cancellations, no-shows): declining or ignoring an invitation never lowers anyone's
rank, because helpers are independent contractors who may turn work down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, float] = {
    "w_distance": 0.35,
    "w_rating": 0.30,
    "w_reliability": 0.15,
    "w_response": 0.10,
    "w_program": 0.10,
    "w_exploration": 0.08,
    "distance_half_km": 4.0,
    "prior_mean": 4.2,
    "prior_weight": 5.0,
    "rating_half_life_days": 365.0,
    "reliability_prior_kept": 3.0,
    "exploration_jobs": 5.0,
}


def ranking_params() -> dict[str, float]:
    overrides: dict[str, Any] = getattr(settings, "QUARTIER_RANKING", {})
    return DEFAULTS | {key: float(value) for key, value in overrides.items()}


def bayesian_mean(weighted_sum: float, weighted_count: float, params: dict[str, float]) -> float:
    prior_w = params["prior_weight"]
    return (params["prior_mean"] * prior_w + weighted_sum) / (prior_w + weighted_count)


def review_weight(age_days: float, params: dict[str, float]) -> float:
    return float(0.5 ** (max(0.0, age_days) / params["rating_half_life_days"]))


def reliability(kept: int, broken: int, params: dict[str, float]) -> float:
    prior = params["reliability_prior_kept"]
    return (kept + prior) / (kept + broken + prior)


@dataclass(frozen=True, slots=True)
class ScoreParts:
    distance: float
    rating: float
    reliability: float
    response: float
    program: float
    exploration: float
    total: float

    def as_dict(self) -> dict[str, float]:
        return {
            "distance": round(self.distance, 4),
            "rating": round(self.rating, 4),
            "reliability": round(self.reliability, 4),
            "response": round(self.response, 4),
            "program": round(self.program, 4),
            "exploration": round(self.exploration, 4),
            "total": round(self.total, 4),
        }


def distance_score(distance_km: float, params: dict[str, float]) -> float:
    return float(0.5 ** (distance_km / params["distance_half_km"]))


def static_quality(
    *,
    rating_mean: float,
    reliability_share: float,
    response_minutes: float | None,
    completed_jobs: int,
    program_qualified: bool,
    params: dict[str, float],
) -> tuple[float, float, float, float, float]:
    """The distance-free parts, already weighted: rating, reliability, response, program, new."""
    rating = params["w_rating"] * min(1.0, max(0.0, (rating_mean - 1.0) / 4.0))
    kept = params["w_reliability"] * reliability_share
    response = params["w_response"] * (
        0.5 if response_minutes is None else 1.0 / (1.0 + response_minutes / 60.0)
    )
    program = params["w_program"] * (1.0 if program_qualified else 0.0)
    explore_jobs = params["exploration_jobs"]
    exploration = params["w_exploration"] * max(0.0, 1.0 - completed_jobs / explore_jobs)
    return rating, kept, response, program, exploration


def index_quality(
    *,
    rating_mean: float,
    reliability_share: float,
    response_minutes: float | None,
    completed_jobs: int,
    params: dict[str, float],
) -> float:
    """What the match index stores as `quality`: the distance-free score without the program
    part (rating + reliability + response + exploration, weighted). The matcher's bounds rely
    on it: a helper's score is distance part + quality (+ program weight in partner cases)."""
    rating, kept, response, _, exploration = static_quality(
        rating_mean=rating_mean,
        reliability_share=reliability_share,
        response_minutes=response_minutes,
        completed_jobs=completed_jobs,
        program_qualified=False,
        params=params,
    )
    return rating + kept + response + exploration


def max_static_quality(params: dict[str, float], *, partner_case: bool) -> float:
    """The best any helper can score without distance: bounds the nearest-first scan.
    The program part only counts for partner cases."""
    return (
        params["w_rating"]
        + params["w_reliability"]
        + params["w_response"]
        + (params["w_program"] if partner_case else 0.0)
        + params["w_exploration"]
    )


def distance_for_score(score_left: float, params: dict[str, float]) -> float:
    """The distance beyond which the distance part alone is worth less than `score_left`."""
    if score_left <= 0:
        return math.inf
    ratio = score_left / params["w_distance"]
    if ratio >= 1:
        return 0.0
    return params["distance_half_km"] * math.log2(1 / ratio)


RANKING_IN_PLAIN_WORDS = (
    "Helpers are shown when they offer the skill you need, their own service area includes "
    "your address, and they are free in your time window. They are ordered by a score that "
    "weighs, in this order of importance: how close they are; their rating in this skill "
    "(averaged cautiously so a few reviews count less than many, and recent reviews count "
    "more than old ones); how reliably they kept jobs they had accepted; how fast they "
    "usually answer; and, for a partner's service, whether they are qualified for it. "
    "Helpers new to a skill get a small, temporary boost so newcomers get a fair chance, and "
    "helpers with equal scores take turns. Nobody pays for a better position, and declining "
    "or ignoring an invitation never lowers a helper's rank."
)
