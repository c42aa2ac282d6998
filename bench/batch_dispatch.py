"""Batch dispatch against case-by-case dispatch on a synthetic backlog (no database).

    python -m bench.batch_dispatch [--cases 2000] [--helpers 1500] [--seed 1] [--per-case 50]

A storm in one city: cases and helpers spread over a 20 x 20 km square (half of the cases in
one quarter of it), each helper reaching 5-15 km. Every case's candidates are its 50 best
helpers in reach (`--per-case`; the product takes 50), by a score of the ranking's shape
(distance decay + a per-helper quality); one case per helper per round (the product's default
`QUARTIER_DISPATCH_BATCH_PER_HELPER`). Case by case = each case in SLA order takes its best
helper still free (`assign_one_by_one`); batch = `assign` (min-cost bipartite matching).
Prints cases assigned, summed score and time for both.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

import django
import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
django.setup()  # assignment.py imports models (for its engine part; unused here)

from quartier.matching.assignment import OpenJob, assign, assign_one_by_one  # noqa: E402

PER_CASE = 50


@dataclass(frozen=True)
class Offer:
    helper_id: int
    score: float


def backlog(
    n_cases: int, n_helpers: int, seed: int, per_case: int = PER_CASE
) -> tuple[list[OpenJob], dict[int, list[Offer]]]:
    rng = np.random.default_rng(seed)
    helpers = rng.uniform(0, 20, size=(n_helpers, 2))
    radius = rng.uniform(5, 15, size=n_helpers)
    quality = rng.uniform(0, 0.5, size=n_helpers)
    # Cases cluster where a storm hit: half of them in one quarter of the city.
    cases = np.vstack(
        [
            rng.uniform(0, 10, size=(n_cases // 2, 2)),
            rng.uniform(0, 20, size=(n_cases - n_cases // 2, 2)),
        ]
    )
    jobs: list[OpenJob] = []
    candidates: dict[int, list[Offer]] = {}
    for i, (x, y) in enumerate(cases.tolist()):
        distance = np.hypot(helpers[:, 0] - x, helpers[:, 1] - y)
        reach = np.flatnonzero(distance <= radius)
        score = 0.5 * 0.5 ** (distance[reach] / 3.0) + quality[reach]
        best = reach[np.argsort(-score)[:per_case]]
        best_score = np.sort(score)[::-1][:per_case]
        jobs.append(OpenJob(id=i, latitude=y, longitude=x, skill_id=1))
        candidates[i] = [Offer(int(h), float(s)) for h, s in zip(best, best_score, strict=True)]
    return jobs, candidates


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--helpers", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-case", type=int, default=PER_CASE, help="candidates per case")
    args = parser.parse_args(argv)
    jobs, candidates = backlog(args.cases, args.helpers, args.seed, args.per_case)
    started = time.perf_counter()
    together = assign(jobs, candidates, 1)
    batch_s = time.perf_counter() - started
    started = time.perf_counter()
    one_by_one = assign_one_by_one(jobs, candidates, 1)
    greedy_s = time.perf_counter() - started
    result = {
        "cases": args.cases,
        "helpers": args.helpers,
        "batch_assigned": len(together.pairs),
        "case_by_case_assigned": len(one_by_one.pairs),
        "batch_score": -together.total_cost,
        "case_by_case_score": -one_by_one.total_cost,
        "batch_ms": batch_s * 1000,
        "case_by_case_ms": greedy_s * 1000,
    }
    print(f"{'':>14} {'assigned':>9} {'of':>6} {'score':>9} {'ms':>8}")
    print(
        f"{'batch':>14} {result['batch_assigned']:>9} {args.cases:>6} "
        f"{result['batch_score']:>9.1f} {result['batch_ms']:>8.1f}"
    )
    print(
        f"{'case by case':>14} {result['case_by_case_assigned']:>9} {args.cases:>6} "
        f"{result['case_by_case_score']:>9.1f} {result['case_by_case_ms']:>8.1f}"
    )
    return result


if __name__ == "__main__":
    main()
