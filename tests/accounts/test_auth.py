"""API authentication (accounts/auth.py): no token or a bad one is a 401 problem+json."""

from __future__ import annotations

import pytest

from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_unauthenticated_calls_get_401_problem(anon, customer):
    request = make_request(customer)
    response = anon.get(f"/requests/{request.pk}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["code"] == "not_authenticated"


def test_bad_token_is_401(api_as):
    client = api_as(None)
    client.headers["Authorization"] = "Bearer qt_not-a-real-token"
    assert client.get("/me").status_code == 401
