"""Batch dispatch: a backlog of fixed-price partner cases is assigned together, then each case
goes on with the dispatch steps it always had (instant accept, decline, widening, SLA)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from quartier.accounts.models import User
from quartier.dispatch.batch import dispatch_batch_round
from quartier.dispatch.models import BatchRound, Dispatch, Invitation
from quartier.dispatch.services import (
    dispatch_first_wave,
    dispatch_tick,
    dispatch_wave,
    invitation_accept,
    invitation_decline,
)
from quartier.jobs.models import JobRequest
from tests.dispatch.conftest import make_crowd, open_counts, race, start_dispatch
from tests.factories import make_customer, make_helper, make_request

PARTNER = 7


@pytest.fixture(autouse=True)
def batch_settings(settings: Any) -> Any:
    settings.QUARTIER_DISPATCH_BATCH_MIN = 2
    return settings


def partner_case(customer: User, *, postcode: str = "8004", hours: int = 4) -> Dispatch:
    request = make_request(customer, postcode=postcode)
    return start_dispatch(
        request,
        mode="fixed_price",
        fixed_price_minor=12_000,
        partner_id=PARTNER,
        on_deadline="escalate",
        deadline_at=timezone.now() + timedelta(hours=hours),
    )


def invited(dispatch: Dispatch) -> list[int]:
    return list(
        Invitation.objects.filter(dispatch=dispatch)
        .order_by("rank")
        .values_list("helper_id", flat=True)
    )


@pytest.fixture
def zurich_and_winterthur(db: None, settings: Any) -> tuple[User, User, Dispatch, Dispatch]:
    """Anna reaches both cases and is the best for each; Beat reaches only Zürich's.
    One case per helper at a time (the fairness cap at 1)."""
    settings.QUARTIER_MAX_OPEN_INVITATIONS = 1
    anna = make_helper(email="anna@example.com", postcode="8004", radius_km=40)
    beat = make_helper(email="beat@example.com", postcode="8032", radius_km=5)
    carla = make_customer(email="carla@example.com")
    zurich = partner_case(carla, postcode="8004", hours=3)  # the earlier SLA: first in line
    winterthur = partner_case(carla, postcode="8400", hours=4)
    return anna, beat, zurich, winterthur


def test_a_backlog_is_assigned_together_where_case_by_case_would_leave_a_case(
    zurich_and_winterthur: tuple[User, User, Dispatch, Dispatch],
) -> None:
    anna, beat, zurich, winterthur = zurich_and_winterthur

    batch = dispatch_batch_round()

    assert batch is not None
    assert (batch.cases, batch.assigned, batch.case_by_case) == (2, 2, 1)
    assert invited(zurich) == [beat.pk]  # Anna goes to the case only she can reach
    assert invited(winterthur) == [anna.pk]
    assert open_counts([anna.pk, beat.pk]) == {anna.pk: 1, beat.pk: 1}  # nobody over the cap
    for dispatch in (zurich, winterthur):
        dispatch.refresh_from_db()
        assert (dispatch.wave, dispatch.batch_assigned, dispatch.batch_claimed_at) == (
            1,
            True,
            None,
        )
        assert dispatch.next_wave_at is not None  # widens if nobody answers


def test_the_assigned_helper_accepts_at_the_fixed_price(zurich_and_winterthur):
    anna, _, _, winterthur = zurich_and_winterthur
    dispatch_batch_round()
    invitation = Invitation.objects.get(dispatch=winterthur)

    booking = invitation_accept(actor=anna, invitation_id=invitation.pk)

    assert (booking.helper_id, booking.price_minor) == (anna.pk, 12_000)
    assert Dispatch.objects.get(pk=winterthur.pk).state == "satisfied"


def test_a_decline_widens_at_once_without_the_helper_and_costs_no_rank(db, settings):
    crowd = make_crowd(6)
    carla = make_customer(email="carla@example.com")
    cases = [partner_case(carla) for _ in range(2)]
    dispatch_batch_round()
    first = Invitation.objects.get(dispatch=cases[0])
    decliner = next(h for h in crowd if h.pk == first.helper_id)

    invitation_decline(actor=decliner, invitation_id=first.pk)
    widened = dispatch_wave(dispatch_id=cases[0].pk, expected_wave=1)

    assert widened == 5  # wave 2, down the ranking
    assert decliner.pk not in invited(cases[0])[1:]
    # Declining cost nothing: the next backlog ranks the helper as before.
    later = partner_case(carla)
    assert decliner.pk in [c.helper_id for c in _ranked_for(later)]


def _ranked_for(dispatch: Dispatch) -> list[Any]:
    from quartier.matching.engine import rank
    from quartier.matching.selectors import request_query

    return rank(request_query(JobRequest.objects.get(pk=dispatch.request_id), limit=10))


def test_no_answer_widens_after_the_interval_and_the_sla_still_escalates(db):
    make_crowd(3)
    carla = make_customer(email="carla@example.com")
    cases = [partner_case(carla, hours=2) for _ in range(2)]
    dispatch_batch_round()
    later = timezone.now() + timedelta(minutes=31)

    dispatch_tick(now=later)
    assert len(invited(cases[0])) == 3  # the assigned helper and the two others

    dispatch_tick(now=timezone.now() + timedelta(hours=2, minutes=1))
    assert {d.state for d in Dispatch.objects.filter(pk__in=[c.pk for c in cases])} == {"escalated"}


def test_fewer_than_the_minimum_go_case_by_case_as_before(db, settings):
    settings.QUARTIER_DISPATCH_BATCH_MIN = 3
    make_crowd(6)
    carla = make_customer(email="carla@example.com")
    cases = [partner_case(carla) for _ in range(2)]

    assert dispatch_first_wave(request_id=cases[0].request_id) == 5

    assert not BatchRound.objects.exists()
    assert len(invited(cases[0])) == 5


def test_the_first_wave_of_a_backlogged_case_runs_the_round_for_all(db):
    make_crowd(6)
    carla = make_customer(email="carla@example.com")
    cases = [partner_case(carla) for _ in range(4)]

    assert dispatch_first_wave(request_id=cases[2].request_id) == 0  # the round did it

    assert [len(invited(c)) for c in cases] == [1, 1, 1, 1]
    assert len({invited(c)[0] for c in cases}) == 4  # four helpers, one case each
    assert dispatch_first_wave(request_id=cases[0].request_id) == 0  # nothing twice


def test_a_case_nobody_could_take_goes_on_case_by_case(db, settings):
    settings.QUARTIER_MAX_OPEN_INVITATIONS = 1
    make_crowd(1)
    carla = make_customer(email="carla@example.com")
    cases = [partner_case(carla) for _ in range(2)]

    batch = dispatch_batch_round()

    assert batch is not None
    assert (batch.assigned, batch.cases) == (1, 2)
    left = Dispatch.objects.get(pk__in=[c.pk for c in cases], batch_assigned=False)
    assert (left.batch_assigned, left.batch_claimed_at, left.state) == (False, None, "active")
    assert left.next_wave_at is not None  # tried again every interval until the SLA


def test_quotes_requests_are_never_batched(db, anna):
    make_crowd(3)
    for _ in range(3):
        start_dispatch(make_request(anna))

    assert dispatch_batch_round() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_workers_running_the_round_at_once_assign_each_case_once(settings):
    settings.QUARTIER_MAX_OPEN_INVITATIONS = 5
    crowd = make_crowd(8)
    carla = make_customer(email="carla@example.com")
    cases = [partner_case(carla) for _ in range(6)]

    outcomes = race(dispatch_batch_round, dispatch_batch_round, dispatch_tick)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    for dispatch in cases:
        assert len(invited(dispatch)) == 1, dispatch
        assert Dispatch.objects.get(pk=dispatch.pk).wave == 1
    assert sum(open_counts([h.pk for h in crowd]).values()) == 6
    assert BatchRound.objects.filter(assigned__gt=0).count() == 1
