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
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .engine import Candidate, MatchQuery, rank


@dataclass(frozen=True)
class Case:
    """A partner case waiting for a helper."""

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


def assign(
    cases: Sequence[Case],
    candidates_by_case: Mapping[int, Iterable[Scored]],
    capacity: Mapping[int, int] | int,
) -> Assignment:
    """The assignment of `cases` to their candidates with the most cases, then least cost.

    `capacity` is per helper id (missing = 0), or one number for every helper.
    """

    def slots_of(helper_id: int) -> int:
        return capacity if isinstance(capacity, int) else capacity.get(helper_id, 0)

    best: list[dict[int, float]] = []  # per case: helper id -> best score offered
    for case in cases:
        scores: dict[int, float] = {}
        for candidate in candidates_by_case.get(case.id, ()):
            if slots_of(candidate.helper_id) > 0:
                previous = scores.get(candidate.helper_id, -math.inf)
                scores[candidate.helper_id] = max(previous, candidate.score)
        best.append(scores)
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


def engine_candidates(cases: Sequence[Case], *, per_case: int = 10) -> dict[int, list[Candidate]]:
    """The engine's best `per_case` available helpers for every case (one `rank` per case)."""
    return {
        case.id: rank(
            MatchQuery(
                skill_id=case.skill_id,
                latitude=case.latitude,
                longitude=case.longitude,
                window_start=case.window_start,
                window_end=case.window_end,
                limit=per_case,
                qualified_helper_ids=case.qualified_helper_ids,
                seed=case.id,
            )
        )
        for case in cases
    }
