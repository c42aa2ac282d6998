"""Login CSRF: another site's form cannot log a visitor in to an account of its choosing,
because the API's log-in takes only application/json (which a form cannot send)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_cross_site_form_body_is_refused_and_starts_no_session(customer, content_type):
    client = Client(enforce_csrf_checks=True)
    body = json.dumps({"email": customer.email, "password": PASSWORD})
    response = client.post("/api/v1/auth/login", body, content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "json_required"
    assert "_auth_user_id" not in client.session
    assert "sessionid" not in response.cookies


def test_json_still_logs_in(customer):
    client = Client(enforce_csrf_checks=True)
    body = json.dumps({"email": customer.email, "password": PASSWORD})
    response = client.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["token"].startswith("qt_")
