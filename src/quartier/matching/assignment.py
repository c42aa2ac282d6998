"""Batch assignment of a partner's backlog: each case to one helper, best in total.

Why a matching and not one case after another: dispatching cases one by one hands a popular
helper to whichever case comes first, even when a later case had nobody else nearby. Treating
the backlog as one minimum-cost bipartite matching assigns as many cases as possible and,
among those assignments, maximises the summed score, while no helper gets more cases than
their capacity.

The graph (sparse, so its size grows with cases x candidates, not cases x helpers):

* one row per case;
* one column per capacity *slot*: a helper with capacity c is c identical columns (no more
  than the number of cases that list them);
* one "unassigned" column per case, reachable only from that case, so a full matching always
  exists. It costs more than any rearrangement of the other cases can save, so a case is left
  unassigned only when no assignment of the others makes room for it.

Cost of a pair = -score. The score (ranking.py) already weighs distance, so adding a distance
term here would count it twice. scipy's `min_weight_full_bipartite_matching` (LAPJVsp) needs
non-zero weights, so weights are shifted to be positive: every case takes exactly one edge of
a full matching, hence a constant shift does not change which matching is best.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import numpy as np
from django.conf import settings
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from quartier.bookings.availability import MAX_WINDOW, busy_intervals
from quartier.geo.distance import EARTH_RADIUS_KM

from . import scan
from .engine import (
    AvailabilityCheck,
    Candidate,
    MatchQuery,
    rank,
    rank_key,
    score_row,
    weekly_mask,
)
from .ranking import ranking_params
from .scan import KM_PER_DEGREE


@dataclass(frozen=True)
class OpenJob:
    """A job waiting for a helper (in a partner's backlog: one partner case), as the
    assignment sees it: where, which skill, when, and who may take it.

    Not `partners.Case` (the case's row): matching sits below partners and only gets the
    facts it needs, passed in by the caller.
    """

    id: int
    latitude: float
    longitude: float
    skill_id: int
    window_start: datetime | None = None
    window_end: datetime | None = None
    qualified_helper_ids: Collection[int] | None = None  # the partner program's helpers


class Scored(Protocol):
    """A candidate helper for a case: engine Candidates fit, as does any (helper, score)."""

    @property
    def helper_id(self) -> int: ...

    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class Assignment:
    pairs: list[tuple[int, int]]  # (case id, helper id), in the order of the cases
    unassigned: list[int]  # case ids nobody could take
    total_cost: float  # sum of the pairs' costs, i.e. minus their summed scores


def _best_scores(
    cases: Sequence[OpenJob],
    candidates_by_case: Mapping[int, Iterable[Scored]],
    slots_of: Callable[[int], int],
) -> list[dict[int, float]]:
    """Per case (in order): helper id -> the best score offered, for helpers with capacity."""
    best: list[dict[int, float]] = []
    for case in cases:
        scores: dict[int, float] = {}
        for candidate in candidates_by_case.get(case.id, ()):
            if slots_of(candidate.helper_id) > 0:
                previous = scores.get(candidate.helper_id, -math.inf)
                scores[candidate.helper_id] = max(previous, candidate.score)
        best.append(scores)
    return best


def assign(
    cases: Sequence[OpenJob],
    candidates_by_case: Mapping[int, Iterable[Scored]],
    capacity: Mapping[int, int] | int,
) -> Assignment:
    """The assignment of `cases` to their candidates with the most cases, then least cost.

    `capacity` is per helper id (missing = 0), or one number for every helper.
    """

    def slots_of(helper_id: int) -> int:
        return capacity if isinstance(capacity, int) else capacity.get(helper_id, 0)

    best = _best_scores(cases, candidates_by_case, slots_of)
    listed: dict[int, int] = {}
    for scores in best:
        for helper_id in scores:
            listed[helper_id] = listed.get(helper_id, 0) + 1
    columns: dict[int, range] = {}  # helper id -> their slot columns
    slot_helper: list[int] = []  # slot column -> helper id
    for helper_id, cases_listing in listed.items():
        slots = min(slots_of(helper_id), cases_listing)
        columns[helper_id] = range(len(slot_helper), len(slot_helper) + slots)
        slot_helper += [helper_id] * slots
    n_slots = len(slot_helper)

    all_scores = [s for scores in best for s in scores.values()]
    top = max(all_scores, default=0.0) + 1.0
    worst_weight = top - min(all_scores, default=0.0)
    unassigned_weight = worst_weight * (len(cases) + 1)
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for row, scores in enumerate(best):
        for helper_id, score in scores.items():
            for col in columns[helper_id]:
                rows.append(row)
                cols.append(col)
                weights.append(top - score)
        rows.append(row)
        cols.append(n_slots + row)
        weights.append(unassigned_weight)
    graph = csr_array((weights, (rows, cols)), shape=(len(cases), n_slots + len(cases)))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)

    pairs: list[tuple[int, int]] = []
    unassigned: list[int] = []
    total_cost = 0.0
    for row, col in zip(matched_rows.tolist(), matched_cols.tolist(), strict=True):
        case = cases[row]
        if col >= n_slots:
            unassigned.append(case.id)
        else:
            helper_id = slot_helper[col]
            pairs.append((case.id, helper_id))
            total_cost -= best[row][helper_id]
    return Assignment(pairs=pairs, unassigned=unassigned, total_cost=total_cost)


def assign_one_by_one(
    cases: Sequence[OpenJob],
    candidates_by_case: Mapping[int, Iterable[Scored]],
    capacity: Mapping[int, int] | int,
) -> Assignment:
    """Case by case, as dispatch does without a batch: each case in turn (in the order given)
    takes its best-scored candidate who still has a free slot. The baseline `assign` is
    measured against: it never assigns more cases, and when it assigns as many, never more
    score."""
    left: dict[int, int] = {}

    def slots_of(helper_id: int) -> int:
        if helper_id not in left:
            left[helper_id] = capacity if isinstance(capacity, int) else capacity.get(helper_id, 0)
        return left[helper_id]

    pairs: list[tuple[int, int]] = []
    unassigned: list[int] = []
    total_cost = 0.0
    for case in cases:
        best: tuple[float, int] | None = None
        for candidate in candidates_by_case.get(case.id, ()):
            if slots_of(candidate.helper_id) > 0 and (best is None or candidate.score > best[0]):
                best = (candidate.score, candidate.helper_id)
        if best is None:
            unassigned.append(case.id)
            continue
        left[best[1]] -= 1
        pairs.append((case.id, best[1]))
        total_cost -= best[0]
    return Assignment(pairs=pairs, unassigned=unassigned, total_cost=total_cost)


def engine_candidates(
    cases: Sequence[OpenJob], *, per_case: int = 10
) -> dict[int, list[Candidate]]:
    """The engine's best `per_case` available helpers for every case: what `rank` returns for
    each case's query, computed per skill in numpy over the skill's match-index rows.

    numpy only preselects: every helper of the skill within their own radius (+1 mm), under
    the invitation cap, in the program (partner cases), with a weekly hour in the window is
    scored, and the best (with everyone within 0.001 of the cut) are rescored exactly by
    `engine.score_row`, ranked by `engine.rank_key` and checked against absences and bookings
    read once for the whole batch. A case whose preselection runs out of free helpers before
    `per_case` falls back to `rank` itself.
    """
    by_skill: dict[int, list[OpenJob]] = {}
    for case in cases:
        by_skill.setdefault(case.skill_id, []).append(case)
    pools: dict[int, list[Candidate]] = {}
    complete: dict[int, bool] = {}  # the pool holds every eligible helper of the case
    for skill_id, skill_cases in by_skill.items():
        rows = SkillRows(skill_id)
        for case in skill_cases:
            pools[case.id], complete[case.id] = rows.pool(case, per_case)
    windows = [(c.window_start, c.window_end) for c in cases if c.window_start and c.window_end]
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    if windows:
        busy = busy_intervals(
            helper_ids={c.helper_id for pool in pools.values() for c in pool},
            start=min(start for start, _ in windows) - timedelta(hours=1),
            end=max(min(end, start + MAX_WINDOW) for start, end in windows) + timedelta(hours=1),
        )
    result: dict[int, list[Candidate]] = {}
    for case in cases:
        query = open_job_query(case, per_case)
        confirmed = AvailabilityCheck(case.window_start, case.window_end, busy).confirm(
            pools[case.id], per_case
        )
        if len(confirmed) < per_case and not complete[case.id]:
            confirmed = rank(query)
        result[case.id] = confirmed
    return result


def open_job_query(case: OpenJob, limit: int) -> MatchQuery:
    return MatchQuery(
        skill_id=case.skill_id,
        latitude=case.latitude,
        longitude=case.longitude,
        window_start=case.window_start,
        window_end=case.window_end,
        limit=limit,
        qualified_helper_ids=case.qualified_helper_ids,
        seed=case.id,
    )


WORD = (1 << 56) - 1


class SkillRows:
    """One skill's match-index rows as numpy columns, for scoring many cases at once."""

    def __init__(self, skill_id: int) -> None:
        self.params = ranking_params()
        cap = settings.QUARTIER_MAX_OPEN_INVITATIONS
        # By latitude, so a case only looks at the band its widest radius can reach.
        rows = sorted((r for r in scan.skill_rows(skill_id) if r[10] < cap), key=lambda r: r[1])
        self.rows = rows  # engine rows (scan.COLUMNS) + quality
        self.band_deg = (max((r[3] for r in rows), default=0) + 1) / KM_PER_DEGREE
        self.helper_ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.lat = np.radians(np.array([r[1] for r in rows], dtype=np.float64))
        self.lon = np.radians(np.array([r[2] for r in rows], dtype=np.float64))
        self.radius = np.array([r[3] for r in rows], dtype=np.float64)
        self.quality = np.array([r[11] for r in rows], dtype=np.float64)
        self.flexible = np.array([not r[9] for r in rows], dtype=bool)
        # The 168-bit weekly bitmaps as three 56-bit words (bits 0-55, 56-111, 112-167).
        bitmaps = [int(r[9], 16) if r[9] else 0 for r in rows]
        self.weekly = [
            np.array([b >> shift & WORD for b in bitmaps], dtype=np.uint64)
            for shift in (0, 56, 112)
        ]

    def pool(self, case: OpenJob, per_case: int) -> tuple[list[Candidate], bool]:
        """The case's preselected candidates, ranked; and whether they are all there are."""
        if not self.rows:
            return [], True
        params = self.params
        low, high = np.searchsorted(
            self.lat,
            [
                math.radians(case.latitude - self.band_deg),
                math.radians(case.latitude + self.band_deg),
            ],
        )
        band = slice(int(low), int(high))
        lat = self.lat[band]
        phi = math.radians(case.latitude)
        dphi = lat - phi
        dlmb = self.lon[band] - math.radians(case.longitude)
        a = np.sin(dphi / 2) ** 2 + math.cos(phi) * np.cos(lat) * np.sin(dlmb / 2) ** 2
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        ok = distance <= self.radius[band] + 1e-6
        if case.qualified_helper_ids is not None:
            ok &= np.isin(self.helper_ids[band], list(case.qualified_helper_ids))
        if case.window_start and case.window_end:
            mask = weekly_mask(case.window_start, case.window_end)
            touches = self.flexible[band].copy()
            for word, shift in zip(self.weekly, (0, 56, 112), strict=True):
                touches |= (word[band] & np.uint64(mask >> shift & WORD)) != 0
            ok &= touches
        near = np.flatnonzero(ok)
        eligible = near + int(low)
        score = params["w_distance"] * 0.5 ** (distance[near] / params["distance_half_km"])
        score += self.quality[eligible]
        wanted = 3 * per_case
        if len(eligible) > wanted:
            cut = np.partition(score, len(score) - wanted)[len(score) - wanted]
            chosen = eligible[score >= cut - 0.001]
        else:
            chosen = eligible
        query = open_job_query(case, per_case)
        available = AvailabilityCheck(case.window_start, case.window_end)
        candidates = [score_row(self.rows[i][:11], query, params) for i in chosen.tolist()]
        pool = [c for c in candidates if c is not None and available.weekly_ok(c)]
        pool.sort(key=rank_key)
        return pool, len(chosen) == len(eligible)
