"""Problem+json for what never reaches a service: a malformed or empty body, an id out of
range (a 4xx naming the body, never a 500, nothing changed)."""

from __future__ import annotations

import pytest

from tests.api_checks import assert_problem, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("{not json", id="garbage"),
        pytest.param('{"skill": "tv-set-top-box",}', id="trailing-comma"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
    ],
)
def test_malformed_json_body_is_a_400_naming_the_body(api_as, customer, raw):
    client = api_as(customer)
    before = snapshot()
    response = client._call("post", "/requests", raw)
    body = assert_problem(response, 400, field="body")
    assert "not valid JSON" in body["detail"]
    assert snapshot() == before


def test_empty_body_is_reported_against_the_body(api_as, customer):
    client = api_as(customer)
    before = snapshot()
    response = client._call("post", "/requests", "")
    assert_problem(response, 422, code="invalid", field="body")
    assert "payload" not in response.data["errors"]  # the handler's argument name stays inside
    assert snapshot() == before


def test_ids_out_of_range_are_404_not_500(api_as, customer):
    client = api_as(customer)
    huge = 10**30
    assert_problem(client.get(f"/requests/{huge}"), 404, code="not_found")
    assert_problem(client.get(f"/bookings/{huge}"), 404, code="not_found")
    assert_problem(client.post(f"/offers/{huge}/accept"), 404, code="not_found")
