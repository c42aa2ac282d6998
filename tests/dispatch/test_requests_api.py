"""The requests API (dispatch/requests_api.py): bad input names the field and changes
nothing; who sees a request and its address (outside one's scope is 404)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.api_checks import assert_problem, snapshot
from tests.factories import (
    make_booking,
    make_customer,
    make_helper,
    make_offer,
    make_request,
    window,
)

pytestmark = pytest.mark.django_db


def request_body(**changes: Any) -> dict[str, Any]:
    start, end = window(days=3)
    return {
        "skill": "tv-set-top-box",
        "title": "TV box shows no picture",
        "description": "HDMI?",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "budget_minor": 12000,
    } | changes


def _iso(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


IN_3_DAYS = _iso(3)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        pytest.param(
            {"window_start": _iso(3), "window_end": _iso(2)},
            "window_reversed",
            "window_end",
            id="reversed",
        ),
        pytest.param(
            {"window_start": IN_3_DAYS, "window_end": IN_3_DAYS},
            "window_reversed",
            "window_end",
            id="empty",
        ),
        pytest.param(
            {"window_start": _iso(-3), "window_end": _iso(-2)},
            "window_past",
            "window_end",
            id="past",
        ),
        pytest.param(
            {"window_start": _iso(3), "window_end": _iso(90)},
            "window_too_long",
            "window_end",
            id="long",
        ),
        pytest.param(
            {"window_start": _iso(400), "window_end": _iso(401)},
            "window_too_far_ahead",
            "window_start",
            id="too-far-ahead",
        ),
        pytest.param(
            {"window_start": "2031-05-04T09:00:00"}, "invalid", "window_start", id="naive-start"
        ),
        pytest.param(
            {"window_end": "2031-05-04T17:00:00"}, "invalid", "window_end", id="naive-end"
        ),
        pytest.param({"window_start": "tomorrow"}, "invalid", "window_start", id="not-a-date"),
        pytest.param({"skill": "dragon-taming"}, "unknown_skill", "skill", id="unknown-skill"),
        pytest.param({"skill": 7}, "invalid", "skill", id="skill-number"),
        pytest.param({"postcode": "9999"}, "unknown_postcode", "postcode", id="unknown-postcode"),
        pytest.param({"postcode": "80040"}, "bad_postcode", "postcode", id="5-digit-ch"),
        pytest.param({"country": "AT"}, "invalid", "country", id="country"),
        pytest.param({"budget_minor": "a lot"}, "invalid", "budget_minor", id="budget-string"),
        pytest.param({"budget_minor": 99.5}, "invalid", "budget_minor", id="budget-fraction"),
        pytest.param({"budget_minor": -100}, "invalid", "budget_minor", id="budget-negative"),
        pytest.param({"budget_minor": [12000]}, "invalid", "budget_minor", id="budget-list"),
        pytest.param({"title": ""}, "invalid", "title", id="empty-title"),
        pytest.param({"title": "x" * 121}, "invalid", "title", id="long-title"),
        pytest.param({"title": "   "}, "title_missing", "title", id="blank-title"),
        pytest.param(
            {"street_address": "  "}, "street_address_missing", "street_address", id="blank-address"
        ),
    ],
)
def test_request_refuses_bad_input(api_as, customer, changes, code, field):
    client = api_as(customer)
    before = snapshot()
    response = client.post("/requests", request_body(**changes))
    assert_problem(response, 422, code=code, field=field)
    assert snapshot() == before


def test_request_window_messages_say_what_is_wrong(api_as, customer):
    client = api_as(customer)
    reversed_ = client.post("/requests", request_body(window_start=_iso(3), window_end=_iso(2)))
    assert "end after it starts" in reversed_.data["errors"]["window_end"][0]
    past = client.post("/requests", request_body(window_start=_iso(-3), window_end=_iso(-2)))
    assert "future" in past.data["errors"]["window_end"][0]
    naive = client.post("/requests", request_body(window_start="2031-05-04T09:00:00"))
    assert "timezone" in naive.data["errors"]["window_start"][0]


@pytest.mark.parametrize(
    "missing", ["skill", "title", "country", "postcode", "street_address", "window_start"]
)
def test_request_missing_a_required_field_names_it(api_as, customer, missing):
    body = request_body()
    del body[missing]
    client = api_as(customer)
    before = snapshot()
    response = client.post("/requests", body)
    assert_problem(response, 422, code="invalid", field=missing)
    assert snapshot() == before


def test_request_with_nothing_names_every_required_field(api_as, customer):
    client = api_as(customer)
    before = snapshot()
    body = assert_problem(client.post("/requests", {}), 422, code="invalid")
    required = {"skill", "title", "country", "postcode", "street_address"}
    assert required | {"window_start", "window_end"} <= set(body["errors"])
    assert "description" not in body["errors"]
    assert "budget_minor" not in body["errors"]
    assert snapshot() == before


def test_stranger_cannot_see_a_request_or_its_address(api_as, customer):
    request = make_request(customer)
    stranger = make_customer(email="mallory@example.com")
    far_helper = make_helper(email="far@example.com", postcode="10115", country="DE")
    for actor in (stranger, far_helper):
        response = api_as(actor).get(f"/requests/{request.pk}")
        assert response.status_code == 404
        assert "Badenerstrasse" not in response.content.decode()


def test_helper_sees_locality_but_not_address_until_booked(api_as, customer, helper):
    request = make_request(customer)
    before = api_as(helper).get(f"/requests/{request.pk}").data
    assert before["street_address"] is None
    assert before["customer_phone"] is None
    assert before["customer_name"] == "Anna"
    assert before["locality"]
    make_booking(customer, helper)  # a different request; this one stays unbooked
    assert api_as(helper).get(f"/requests/{request.pk}").data["street_address"] is None


def test_only_the_booked_helper_sees_the_address(api_as, customer, helper):
    rival = make_helper(email="rival@example.com", postcode="8004")
    request = make_request(customer)
    offer = make_offer(helper, request)
    make_offer(rival, request, hours_in=3)
    api_as(customer).post(f"/offers/{offer.pk}/accept")
    assert (
        api_as(helper).get(f"/requests/{request.pk}").data["street_address"] == "Badenerstrasse 12"
    )
    # The rival made an offer, so may still see the request, but never the address.
    rival_view = api_as(rival).get(f"/requests/{request.pk}")
    assert rival_view.status_code == 200
    assert rival_view.data["street_address"] is None
