"""Batch assignment: optimal against brute force, capacities kept, leftovers reported."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quartier.matching.assignment import Assignment, OpenJob, assign, engine_candidates


@dataclass(frozen=True)
class Offer:
    helper_id: int
    score: float


def cases_of(n: int) -> list[OpenJob]:
    return [OpenJob(id=100 + i, latitude=47.37, longitude=8.54, skill_id=1) for i in range(n)]


def brute_force(
    cases: list[OpenJob], candidates: dict[int, list[Offer]], capacity: dict[int, int]
) -> tuple[int, float]:
    """(most cases assigned, least cost among those) over every feasible assignment."""
    options = [[None, *candidates.get(case.id, [])] for case in cases]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        used = Counter(offer.helper_id for offer in choice if offer is not None)
        if any(count > capacity.get(helper, 0) for helper, count in used.items()):
            continue
        assigned = sum(offer is not None for offer in choice)
        cost = -sum(offer.score for offer in choice if offer is not None)
        if (assigned, -cost) > (best[0], -best[1]):
            best = (assigned, cost)
    return best


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[OpenJob], dict[int, list[Offer]], dict[int, int]]:
    cases = cases_of(draw(st.integers(1, 6)))
    helpers = list(range(1, draw(st.integers(1, 4)) + 1))
    capacity = {h: draw(st.integers(0, 2)) for h in helpers}
    scores = st.floats(0.05, 1.2, allow_nan=False).map(lambda s: round(s, 3))
    candidates = {
        case.id: [
            Offer(helper, draw(scores))
            for helper in draw(st.lists(st.sampled_from(helpers), max_size=3, unique=True))
        ]
        for case in cases
    }
    return cases, candidates, capacity


def check_consistent(
    result: Assignment,
    cases: list[OpenJob],
    candidates: dict[int, list[Offer]],
    capacity: dict[int, int],
) -> None:
    case_ids = [case.id for case in cases]
    placed = [case_id for case_id, _ in result.pairs] + result.unassigned
    assert sorted(placed) == sorted(case_ids), "every case exactly once"
    for case_id, helper_id in result.pairs:
        assert helper_id in {offer.helper_id for offer in candidates[case_id]}
    used = Counter(helper_id for _, helper_id in result.pairs)
    assert all(count <= capacity.get(helper, 0) for helper, count in used.items())
    scores = {(c, o.helper_id): o.score for c, offers in candidates.items() for o in offers}
    assert result.total_cost == pytest.approx(-sum(scores[pair] for pair in result.pairs))


@settings(max_examples=200, deadline=None)
@given(instances())
def test_assignment_is_optimal_like_brute_force(
    instance: tuple[list[OpenJob], dict[int, list[Offer]], dict[int, int]],
) -> None:
    cases, candidates, capacity = instance

    result = assign(cases, candidates, capacity)

    check_consistent(result, cases, candidates, capacity)
    most, least_cost = brute_force(cases, candidates, capacity)
    assert len(result.pairs) == most
    assert result.total_cost == pytest.approx(least_cost, abs=1e-9)


def test_the_backlog_is_solved_as_a_whole_not_greedily() -> None:
    first, second = cases_of(2)
    candidates = {
        first.id: [Offer(1, 0.90), Offer(2, 0.80)],
        second.id: [Offer(1, 0.85)],  # only helper 1 can take the second case
    }

    result = assign([first, second], candidates, {1: 1, 2: 1})

    assert sorted(result.pairs) == [(first.id, 2), (second.id, 1)]
    assert result.unassigned == []
    assert result.total_cost == pytest.approx(-1.65)


def test_capacity_is_respected_and_the_rest_reported() -> None:
    cases = cases_of(3)
    candidates = {case.id: [Offer(7, 0.5 + i / 10)] for i, case in enumerate(cases)}

    result = assign(cases, candidates, {7: 2})

    assert [helper for _, helper in result.pairs] == [7, 7]
    assert {case_id for case_id, _ in result.pairs} == {cases[1].id, cases[2].id}, "best two"
    assert result.unassigned == [cases[0].id]


def test_one_capacity_for_everyone() -> None:
    cases = cases_of(2)
    candidates = {case.id: [Offer(7, 0.6)] for case in cases}

    assert len(assign(cases, candidates, 2).pairs) == 2
    assert len(assign(cases, candidates, 1).pairs) == 1


def test_cases_nobody_can_take_are_unassigned() -> None:
    no_candidates, zero_capacity, unknown_helper, fine = cases_of(4)
    candidates = {
        zero_capacity.id: [Offer(1, 0.9)],
        unknown_helper.id: [Offer(99, 0.9)],  # capacity not given: 0
        fine.id: [Offer(2, 0.4)],
    }

    result = assign([no_candidates, zero_capacity, unknown_helper, fine], candidates, {1: 0, 2: 1})

    assert result.pairs == [(fine.id, 2)]
    assert result.unassigned == [no_candidates.id, zero_capacity.id, unknown_helper.id]
    assert result.total_cost == pytest.approx(-0.4)


def test_a_helper_listed_twice_for_a_case_counts_once_at_the_better_score() -> None:
    (case,) = cases_of(1)

    result = assign([case], {case.id: [Offer(3, 0.2), Offer(3, 0.7)]}, {3: 1})

    assert result.pairs == [(case.id, 3)]
    assert result.total_cost == pytest.approx(-0.7)


def test_no_cases() -> None:
    assert assign([], {}, 1) == Assignment(pairs=[], unassigned=[], total_cost=0.0)


@pytest.mark.django_db
def test_engine_candidates_feed_the_assignment(helper: object) -> None:
    """A real helper (Zürich, TV) found by the engine is assigned one of two nearby cases."""
    from quartier.catalog.models import Skill

    skill = Skill.objects.get(slug="tv-set-top-box")
    near = [
        OpenJob(id=1, latitude=47.3769, longitude=8.5417, skill_id=skill.pk),
        OpenJob(id=2, latitude=47.3600, longitude=8.5200, skill_id=skill.pk),
    ]

    candidates = engine_candidates(near, per_case=5)
    result = assign(near, candidates, 1)

    assert [c.helper_id for c in candidates[1]] == [helper.pk]  # type: ignore[attr-defined]
    assert len(result.pairs) == 1
    assert len(result.unassigned) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(3))
def test_batch_candidates_equal_one_rank_per_case(seed: int) -> None:
    """The numpy preselection gives every case exactly what `rank` gives it: same helpers,
    same scores, same order (radius, skill, program, cap, weekly hours, absences, bookings)."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from quartier.accounts.models import User
    from quartier.bookings.models import AvailabilityException
    from quartier.catalog.models import Skill
    from quartier.matching.assignment import open_job_query
    from quartier.matching.engine import rank
    from quartier.matching.models import MatchIndex
    from tests.matching.test_engine_oracle import ANCHORS, index_row

    rng = random.Random(seed)
    users = User.objects.bulk_create(
        User(email=f"batch{i}@example.com", full_name=f"Helper {i}", is_helper=True)
        for i in range(120)
    )
    skills = list(
        Skill.objects.filter(slug__in=["cleaning", "tutoring"]).values_list("id", flat=True)
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    anchors = [ANCHORS["zurich"], ANCHORS["basel"]]
    rows, absences = [], []
    for user in users:
        lat, lon = rng.choice(anchors)
        lat, lon = lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.3, 0.3)
        weekly = "" if rng.random() < 0.5 else f"{rng.getrandbits(168):042x}"
        for skill in rng.sample(skills, rng.randint(1, 2)):
            rows.append(
                index_row(
                    user.pk,
                    skill,
                    lat,
                    lon,
                    radius_km=rng.choice([3, 8, 15, 30]),
                    rating_mean=rng.uniform(1, 5),
                    completed_jobs=rng.randint(0, 8),
                    reliability=rng.random(),
                    weekly_hours=weekly,
                    open_invitations=rng.choice([0, 0, 0, 5]),
                )
            )
        if rng.random() < 0.3:
            away = start + timedelta(hours=rng.randint(0, 48))
            absences.append(
                AvailabilityException(
                    helper=user, starts_at=away, ends_at=away + timedelta(hours=rng.randint(1, 30))
                )
            )
    MatchIndex.objects.bulk_create(rows)
    AvailabilityException.objects.bulk_create(absences)
    program = {u.pk for u in users[::3]}
    cases = []
    for i in range(30):
        lat, lon = rng.choice(anchors)
        window = start + timedelta(minutes=30 * rng.randint(0, 96))
        cases.append(
            OpenJob(
                id=i + 1,
                latitude=lat + rng.uniform(-0.1, 0.1),
                longitude=lon + rng.uniform(-0.1, 0.1),
                skill_id=rng.choice(skills),
                window_start=window if i % 5 else None,
                window_end=window + timedelta(hours=rng.randint(1, 10)) if i % 5 else None,
                qualified_helper_ids=program if i % 4 == 0 else None,
            )
        )

    batch = engine_candidates(cases, per_case=5)

    for case in cases:
        one = rank(open_job_query(case, 5))
        assert [(c.helper_id, c.score) for c in batch[case.id]] == [
            (c.helper_id, c.score) for c in one
        ]
    assert any(batch.values())
