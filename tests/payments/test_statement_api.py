"""`GET /api/v1/me/statement`: your own statement only, as JSON or CSV; bad periods are 422."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from quartier.accounts.services import api_token_create
from quartier.events import outbox, record_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates(settings):
    settings.QUARTIER_COMMISSION = {"default": "0.10"}
    settings.QUARTIER_VAT_REGISTERED = False


def settle(helper, booking_id: int, when: datetime, **payload):
    base = {
        "booking_id": booking_id,
        "request_id": 0,
        "helper_id": helper.pk,
        "customer_id": 0,
        "price_minor": 20000,
        "currency": "CHF",
        "settled_at": when,
        "market": "CH",
        "skill": "cleaning",
        "category": "home",
        "helper_country": "CH",
    }
    record_event("job.settled", **(base | payload))


@pytest.fixture
def booked():
    helper, other = UserFactory(is_helper=True), UserFactory(is_helper=True)
    settle(helper, 1, datetime(2026, 2, 3, 10, tzinfo=UTC), tip_minor=300, method="cash")
    settle(helper, 2, datetime(2026, 3, 3, 10, tzinfo=UTC))
    settle(other, 3, datetime(2026, 2, 4, 10, tzinfo=UTC), price_minor=99900)
    outbox.events_deliver()
    return helper, other


def test_a_month_as_json(api_as, booked):
    helper, _ = booked
    response = api_as(helper).get("/me/statement?year=2026&month=2")

    assert response.status_code == 200
    body = response.data
    assert (body["year"], body["month"]) == (2026, 2)
    [chf] = body["totals"]
    assert chf["currency"] == "CHF"
    assert (chf["jobs"], chf["gross_minor"], chf["commission_minor"], chf["tips_minor"]) == (
        1,
        20000,
        2000,
        300,
    )
    assert chf["net_minor"] == 20000 - 2000 + 300
    assert chf["open_minor"] == 2000
    assert [(line["booking_id"], line["method"]) for line in body["lines"]] == [(1, "cash")]


def test_a_year_and_nothing_of_another_helper(api_as, booked):
    helper, other = booked
    mine = api_as(helper).get("/me/statement?year=2026").data
    theirs = api_as(other).get("/me/statement?year=2026").data
    assert [line["booking_id"] for line in mine["lines"]] == [1, 2]
    assert [line["booking_id"] for line in theirs["lines"]] == [3]
    assert api_as(UserFactory()).get("/me/statement?year=2026").data["totals"] == []


def test_csv(booked):
    helper, _ = booked
    token = api_token_create(user=helper)
    response = Client().get(
        "/api/v1/me/statement?year=2026&month=3&format=csv",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="statement-2026-03.csv"' in response["Content-Disposition"]
    rows = response.content.decode().splitlines()
    assert rows[1].startswith("2026-03-03,2,transfer,CHF,200.00")
    assert rows[2].startswith("Total,1,,CHF,200.00")
    # A client naming no language gets the helper's own (German here).
    german = Client().get(
        "/api/v1/me/statement?year=2026&month=3&format=csv",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert german.content.decode().splitlines()[2].startswith("Summe,1,,CHF,200.00")


@pytest.mark.parametrize(
    "query", ["", "?year=26", "?year=2026&month=13", "?year=2026&month=0", "?year=2026&format=x"]
)
def test_a_bad_period_is_a_422_problem(api_as, booked, query):
    response = api_as(booked[0]).get(f"/me/statement{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_anonymous_gets_401(anon):
    response = anon.get("/me/statement?year=2026")
    assert response.status_code == 401
