"""The batch assignment against case-by-case dispatch on the same candidates and capacities:
never fewer cases, nobody over capacity, and as much score whenever as many cases."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings

from quartier.matching.assignment import Assignment, OpenJob, assign, assign_one_by_one
from tests.matching.test_assignment import Offer, cases_of, instances


def within_capacity(result: Assignment, capacity: dict[int, int]) -> bool:
    used = Counter(helper for _, helper in result.pairs)
    return all(count <= capacity.get(helper, 0) for helper, count in used.items())


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_batch_assigns_at_least_as_many_cases_and_as_much_score(
    instance: tuple[list[OpenJob], dict[int, list[Offer]], dict[int, int]],
) -> None:
    cases, candidates, capacity = instance

    together = assign(cases, candidates, capacity)
    one_by_one = assign_one_by_one(cases, candidates, capacity)

    assert within_capacity(together, capacity)
    assert within_capacity(one_by_one, capacity)
    assert len(together.pairs) >= len(one_by_one.pairs)
    if len(together.pairs) == len(one_by_one.pairs):
        assert -together.total_cost >= -one_by_one.total_cost - 1e-9


def test_case_by_case_hands_the_popular_helper_to_the_first_case() -> None:
    first, second = cases_of(2)
    candidates = {
        first.id: [Offer(1, 0.90), Offer(2, 0.80)],
        second.id: [Offer(1, 0.85)],
    }

    one_by_one = assign_one_by_one([first, second], candidates, 1)
    together = assign([first, second], candidates, 1)

    assert one_by_one.pairs == [(first.id, 1)]
    assert one_by_one.unassigned == [second.id]
    assert sorted(together.pairs) == [(first.id, 2), (second.id, 1)]
    assert -together.total_cost == pytest.approx(1.65)
