"""Helpers are independent contractors: ignoring an invitation costs them nothing — not
their rank, not their score, not their next invitation (compliance issue's guardrails;
declining is covered in test_waves.py)."""

from __future__ import annotations

import pytest

from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_tick
from quartier.jobs.services import request_cancel
from quartier.matching.engine import rank
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import request_query
from tests.dispatch.conftest import start_dispatch
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_ignoring_an_invitation_never_lowers_rank_score_or_the_next_invitation(anna, crowd_of):
    crowd_of(8)
    first = make_request(anna, postcode="8004")
    dispatch = start_dispatch(first)
    dispatch_tick()
    ignorer_id = Invitation.objects.filter(dispatch=dispatch).order_by("rank")[0].helper_id
    following = make_request(anna, postcode="8004", title="Another TV box")

    def standing() -> list[tuple[int, float]]:
        return [(c.helper_id, round(c.score, 9)) for c in rank(request_query(following, limit=8))]

    def index_row() -> list[tuple[float, float]]:
        rows = MatchIndex.objects.filter(helper_id=ignorer_id)
        return sorted(rows.values_list("reliability", "quality"))

    before, row_before = standing(), index_row()
    request_cancel(actor=anna, request_id=first.pk)  # the invitation closes unanswered
    dispatch_tick()
    assert Invitation.objects.get(dispatch=dispatch, helper_id=ignorer_id).status != "pending"

    assert standing() == before
    assert index_row() == row_before
    next_dispatch = start_dispatch(following)
    dispatch_tick()
    position = [h for h, _ in before].index(ignorer_id) + 1
    assert Invitation.objects.get(dispatch=next_dispatch, helper_id=ignorer_id).rank == position
