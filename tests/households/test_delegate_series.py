"""A daughter sets up her father's weekly cleaning: she proposes the series from his booking,
cannot agree to her own side's proposal, the helper agrees, she skips a date; the series is
his, both are told, her acts are his household's record, and once revoked it is gone."""

from __future__ import annotations

from typing import Any

import pytest

from quartier.households.models import DelegateAct
from quartier.households.services import delegation_revoke
from quartier.notifications.models import Notification
from quartier.series.models import Series
from tests.api_checks import assert_problem
from tests.households.conftest import Household
from tests.series.helpers import booked, next_local

pytestmark = pytest.mark.django_db


def test_the_daughter_runs_her_fathers_weekly_series(api_as: Any, household: Household) -> None:
    father, daughter, helper = household.father, household.daughter, household.helper
    booking = booked(father, helper, postcode="6003")
    body = {"booking_id": booking.pk, "frequency": "weekly"}
    proposed = api_as(daughter).post("/series", body | {"first_start": next_local(7).isoformat()})
    assert proposed.status_code == 201, proposed.data
    series = Series.objects.get(pk=proposed.data["id"])
    assert series.customer_id == father.pk  # the series is his
    url = f"/series/{series.pk}"
    # The helper and the father are told; neither the daughter nor her father may agree to
    # their own side's proposal.
    assert Notification.objects.filter(user=helper, url=url).count() == 1
    assert Notification.objects.filter(user=father, url=url).count() == 1
    assert_problem(api_as(father).post(f"{url}/accept"), 403, code="own_proposal")
    assert_problem(api_as(daughter).post(f"{url}/accept"), 403, code="own_proposal")

    accepted = api_as(helper).post(f"{url}/accept")
    assert accepted.status_code == 200, accepted.data
    assert Notification.objects.filter(user=daughter, url=url).count() == 1  # told of it
    first = accepted.data["occurrences"][0]
    skipped = api_as(daughter).post(f"{url}/occurrences/{first['id']}/skip")
    assert skipped.status_code == 200, skipped.data
    (date,) = [o for o in skipped.data["occurrences"] if o["id"] == first["id"]]
    assert (date["state"], date["reason"]) == ("skipped", "skipped_by_customer")
    acts = DelegateAct.objects.filter(delegation=household.delegation).values_list(
        "action", flat=True
    )
    assert {"series.proposed", "series.skipped"} <= set(acts)
    assert [s["id"] for s in api_as(daughter).get("/series").data] == [series.pk]

    delegation_revoke(actor=father, delegation_id=household.delegation.pk)
    assert api_as(daughter).get(url).status_code == 404
    assert api_as(daughter).get("/series").data == []
    assert api_as(household.stranger).get(url).status_code == 404
