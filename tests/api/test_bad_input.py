"""Bad input is refused with a 4xx and changes nothing: oversized bodies (413, before
they are read when the length says so) and NUL characters (422 / a form error)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from quartier.accounts.models import ProProfile, User
from quartier.jobs.models import JobRequest
from tests.factories import make_customer, make_request

pytestmark = pytest.mark.django_db


def test_a_10_mb_json_body_is_413_problem_and_changes_nothing(api_as, customer):
    request = make_request(customer)
    padding = "x" * (10 * 1024 * 1024)
    response = api_as(customer).post(
        f"/requests/{request.pk}/cancel", json.dumps({"reason": padding})
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["code"] == "too_large"
    assert JobRequest.objects.get(pk=request.pk).state == request.state


def test_an_anonymous_large_body_is_refused_before_it_is_read(db):
    body = json.dumps({"email": "a@example.com", "password": "x" * (3 * 1024 * 1024)})
    response = Client().post("/api/v1/auth/register", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not User.objects.exists()


def test_an_anonymous_multipart_upload_is_refused(db):
    big = b"\0" * (3 * 1024 * 1024)
    response = Client().post(
        "/login", {"username": "a@example.com", "file": SimpleUploadedFile("a.bin", big)}
    )
    assert response.status_code == 413


def test_a_signed_in_request_over_the_overall_limit_is_refused(customer, settings):
    settings.QUARTIER_MAX_REQUEST_BYTES = 4 * 1024 * 1024
    client = Client()
    client.force_login(customer)
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))
    assert client.post("/requests/new", {"photo": photo}).status_code == 413


def test_nul_in_json_text_is_422_naming_the_field_and_nothing_is_stored(anon):
    response = anon.post(
        "/auth/register",
        {"email": "nul@example.com", "password": "a long passphrase 1", "full_name": "A\x00B"},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["code"] == "nul_character"
    assert response.data["errors"] == {"full_name": ["Text must not contain NUL characters."]}
    assert not User.objects.filter(email="nul@example.com").exists()


def test_nul_deep_in_a_body_is_refused(api_as):
    pro = make_customer(email="pro@example.com", is_helper=True, is_pro=True)
    body = {"company_name": "Putz AG", "uid": "CHE-123.456.789", "staff": [{"full_name": "A\x00"}]}
    response = api_as(pro).put("/me/pro-profile", body)
    assert response.status_code == 422
    assert "staff.0.full_name" in response.data["errors"]
    assert not ProProfile.objects.exists()


def test_nul_in_an_api_query_is_422(anon):
    response = anon.get("/helpers?q=tv%00")
    assert response.status_code == 422
    assert response.data["code"] == "nul_character"


def test_nul_in_a_page_address_is_400(db):
    assert Client().get("/postcodes/suggest?q=80%0004").status_code == 400


def test_nul_in_a_web_form_is_a_form_error(db):
    page = Client(headers={"accept-language": "en"}).post(
        "/signup",
        {
            "full_name": "A\x00B",
            "email": "nul@example.com",
            "password": "a long passphrase 1",
            "roles": ["customer"],
        },
    )
    assert page.status_code == 200
    assert "Null characters are not allowed." in page.content.decode()
    assert not User.objects.filter(email="nul@example.com").exists()
