"""Keeping the match index in step with everything ranking depends on.

`match_index_refresh(helper_id=...)` recomputes one helper's rows from the source tables;
it runs (in the caller's transaction) whenever a service announces `helper_changed`, and
`quartier reindex` rebuilds all rows (e.g. nightly, so rating time decay moves on).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import h3
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from quartier.accounts.holds import hold_of
from quartier.accounts.models import HelperProfile
from quartier.bookings.availability import weekly_hours_bitmap
from quartier.bookings.models import Booking, Offer
from quartier.catalog.models import HelperSkill
from quartier.jobs.states import RequestState
from quartier.reviews.models import Direction, SkillRating
from quartier.vetting.selectors import unvetted_skill_ids

from .engine import COARSE_RES, FINE_RES
from .models import MatchIndex
from .ranking import bayesian_mean, index_quality, ranking_params, reliability, review_weight

DONE = [RequestState.COMPLETED, RequestState.CLOSED]


def _cells(latitude: float, longitude: float) -> dict[str, int]:
    return {
        "cell_fine": h3.str_to_int(h3.latlng_to_cell(latitude, longitude, FINE_RES)),
        "cell_coarse": h3.str_to_int(h3.latlng_to_cell(latitude, longitude, COARSE_RES)),
    }


def _decayed_ratings(
    helper_id: int, params: dict[str, float]
) -> dict[int, tuple[float, float, int]]:
    """Per skill: (weighted sum, weighted count, plain count) of the customers' ratings."""
    now = timezone.now()
    out: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    rows = SkillRating.objects.filter(
        review__subject_id=helper_id, review__direction=Direction.CUSTOMER_TO_HELPER
    ).values_list("skill_id", "rating", "review__created_at")
    for skill_id, rating, created_at in rows:
        weight = review_weight((now - created_at).total_seconds() / 86400, params)
        acc = out[skill_id]
        acc[0] += weight * rating
        acc[1] += weight
        acc[2] += 1
    return {skill: (acc[0], acc[1], int(acc[2])) for skill, acc in out.items()}


def _response_minutes(helper_id: int) -> float | None:
    """Median minutes from a request being posted to this helper's offer (last 20 offers)."""
    pairs = Offer.objects.filter(helper_id=helper_id).order_by("-created_at")[:20]
    minutes = [
        max(0.0, (o.created_at - o.request.created_at).total_seconds() / 60)
        for o in pairs.select_related("request")
    ]
    return statistics.median(minutes) if minutes else None


def _matchable_skill_ids(helper_id: int) -> list[int]:
    """The helper's skills, less those needing vetting the helper lacks (checks missing,
    waiting, rejected or expired): they get no row, so the matcher's hot path needs no filter
    and dispatch, the inbox and batch assignment never see them."""
    skill_ids = list(
        HelperSkill.objects.filter(helper_id=helper_id).values_list("skill_id", flat=True)
    )
    unvetted = unvetted_skill_ids(helper_id, skill_ids)
    return [skill_id for skill_id in skill_ids if skill_id not in unvetted]


def match_index_refresh(*, helper_id: int) -> int:
    """Recompute the helper's index rows; returns how many rows the helper now has."""
    params = ranking_params()
    with transaction.atomic():
        profile = HelperProfile.objects.select_related("user").filter(user_id=helper_id).first()
        held = hold_of(helper_id) is not None  # e.g. open commission over the limit
        if profile is None or not profile.is_matchable or not profile.user.is_helper or held:
            MatchIndex.objects.filter(helper_id=helper_id).delete()
            return 0
        skill_ids = _matchable_skill_ids(helper_id)
        MatchIndex.objects.filter(helper_id=helper_id).exclude(skill_id__in=skill_ids).delete()
        bookings = Booking.objects.filter(helper_id=helper_id)
        jobs_by_skill: dict[int, int] = defaultdict(int)
        for skill_id in bookings.filter(request__state__in=DONE).values_list(
            "request__skill_id", flat=True
        ):
            jobs_by_skill[skill_id] += 1
        kept = sum(jobs_by_skill.values())
        broken = bookings.filter(cancelled_by_id=helper_id).count()
        ratings = _decayed_ratings(helper_id, params)
        weekly = weekly_hours_bitmap(helper_id=helper_id)
        existing = MatchIndex.objects.filter(helper_id=helper_id).first()
        common: dict[str, Any] = {
            "latitude": profile.latitude,
            "longitude": profile.longitude,
            "radius_km": profile.service_radius_km,
            "reliability": reliability(kept, broken, params),
            "response_minutes": _response_minutes(helper_id),
            "weekly_hours": "" if weekly is None else f"{weekly:042x}",
            "joined_at": profile.created_at,
            # Dispatch counts open invitations per helper; a new skill row starts level.
            "open_invitations": existing.open_invitations if existing else 0,
            **_cells(profile.latitude, profile.longitude),
        }
        for skill_id in skill_ids:
            weighted_sum, weighted_count, count = ratings.get(skill_id, (0.0, 0.0, 0))
            rating_mean = bayesian_mean(weighted_sum, weighted_count, params)
            completed_jobs = jobs_by_skill.get(skill_id, 0)
            MatchIndex.objects.update_or_create(
                helper_id=helper_id,
                skill_id=skill_id,
                defaults=common
                | {
                    "rating_mean": rating_mean,
                    "review_count": count,
                    "completed_jobs": completed_jobs,
                    "quality": index_quality(
                        rating_mean=rating_mean,
                        reliability_share=common["reliability"],
                        response_minutes=common["response_minutes"],
                        completed_jobs=completed_jobs,
                        params=params,
                    ),
                },
            )
        return len(skill_ids)


def match_index_rebuild() -> int:
    """Refresh every helper's rows (after a change of ranking settings, and nightly)."""
    total = 0
    for helper_id in HelperProfile.objects.values_list("user_id", flat=True).iterator():
        total += match_index_refresh(helper_id=helper_id)
    return total


def open_invitations_add(*, helper_id: int, delta: int) -> None:
    """Dispatch keeps each helper's count of open invitations here (for the fairness cap)."""
    MatchIndex.objects.filter(helper_id=helper_id).update(
        open_invitations=Greatest(F("open_invitations") + delta, 0)
    )


_deferred: ContextVar[set[int] | None] = ContextVar("match_index_deferred", default=None)


@contextmanager
def match_index_deferred() -> Iterator[None]:
    """For bulk work (demo seeding, imports): refresh each touched helper once, at the end,
    instead of after every change. Matching inside the block sees the rows as they were."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for helper_id in sorted(pending):
        match_index_refresh(helper_id=helper_id)


def on_helper_changed(sender: object, helper_id: int, **kwargs: object) -> None:
    pending = _deferred.get()
    if pending is None:
        match_index_refresh(helper_id=helper_id)
    else:
        pending.add(helper_id)
