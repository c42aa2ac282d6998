"""The account settings API: details, password, e-mail, verification, roles, photo."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from quartier.accounts.models import User
from quartier.accounts.services import api_token_create
from quartier.bookings.models import Booking
from tests.conftest import Api
from tests.factories import make_offer, make_request
from tests.images import PNG, picture_size

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_me_shows_verification_and_patch_changes_only_what_is_given(api_as, customer):
    api = api_as(customer)
    assert api.get("/me").data["email_verified"] is True
    answer = api.patch("/me", {"phone": "+41 79 000 11 22", "preferred_language": "en"})
    assert answer.status_code == 200, answer.data
    assert (answer.data["phone"], answer.data["full_name"]) == ("+41 79 000 11 22", "Anna Muster")
    refused = api.patch("/me", {"preferred_language": "fr"})
    assert refused.status_code == 422
    assert User.objects.get(pk=customer.pk).preferred_language == "en"


def test_changing_the_password_returns_a_new_token_and_ends_the_others(
    api_as, customer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    api, other_device = api_as(customer), api_as(customer)
    wrong = api.post("/me/password", {"current_password": "nope", "new_password": "x long one 1"})
    assert wrong.status_code == 422
    assert wrong.data["code"] == "wrong_password"
    with django_capture_on_commit_callbacks(execute=True):
        done = api.post(
            "/me/password", {"current_password": PASSWORD, "new_password": "a fresh passphrase 9"}
        )
    assert done.status_code == 200
    assert other_device.get("/me").status_code == 401
    assert api.get("/me").status_code == 401  # the calling token ended too …
    fresh = Client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {done.data['token']}"}
    )  # … and its successor works
    assert fresh.status_code == 200
    assert mail.outbox[-1].to == ["anna@example.com"]


def test_an_email_change_is_accepted_and_waits_for_the_link(
    api_as, customer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        sent = api_as(customer).post(
            "/me/email", {"new_email": "anna@new.example", "password": PASSWORD}
        )
    assert sent.status_code == 202
    assert sent.data["email"] == "anna@new.example"
    assert User.objects.get(pk=customer.pk).email == "anna@example.com"
    assert mail.outbox[0].to == ["anna@new.example"]
    bad = api_as(customer).post("/me/email", {"new_email": "not an address", "password": PASSWORD})
    assert bad.status_code == 422
    assert bad.data["code"] == "bad_email"


def test_booking_waits_for_a_verified_address_with_a_clear_problem(
    api_as, anon, helper, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        anon.post(
            "/auth/register",
            {"email": "neo@example.com", "password": PASSWORD, "full_name": "Neo Neu"},
        )
    neo = User.objects.get(email="neo@example.com")
    (verification,) = mail.outbox
    assert "/email/verify/" in verification.body
    offer = make_offer(helper, make_request(neo))
    api = api_as(neo)
    assert api.get("/me").data["email_verified"] is False
    refused = api.post(f"/offers/{offer.pk}/accept")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.data["code"] == "email_not_verified"
    assert not Booking.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post("/me/email/verification").status_code == 202
    assert len(mail.outbox) == 2
    link = mail.outbox[-1].body.split("/email/verify/")[1].split()[0]
    assert Client().post(f"/email/verify/{link}").status_code == 302
    assert api.post(f"/offers/{offer.pk}/accept").status_code == 201
    assert api.post("/me/email/verification").data["code"] == "already_verified"


def test_a_customer_adds_the_helper_role_and_onboards_through_the_api(api_as, customer):
    api = api_as(customer)
    assert api.put("/me/helper-profile", HELPER_PROFILE).status_code == 403
    added = api.post("/me/roles", {"role": "helper"})
    assert added.status_code == 200
    assert added.data["roles"] == ["customer", "helper"]
    assert api.put("/me/helper-profile", HELPER_PROFILE).status_code == 200
    skills = api.put("/me/skills", {"skills": [{"skill": "tv-set-top-box", "level": "expert"}]})
    assert skills.status_code == 200
    assert Api().get(f"/helpers/{customer.pk}").data["name"] == "Anna Muster"
    assert api.post("/me/roles", {"role": "helper"}).data["code"] == "role_held"
    assert User.objects.count() == 1


HELPER_PROFILE = {
    "country": "CH",
    "postcode": "8003",
    "service_radius_km": 10,
    "hourly_rate_minor": 4500,
    "accept_contractor_terms": True,
}


def _upload(user: User, name: str, content: bytes, kind: str) -> Any:
    token = api_token_create(user=user)
    return Client().post(
        "/api/v1/me/photo",
        {"photo": SimpleUploadedFile(name, content, content_type=kind)},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_helpers_photo_is_public_and_removable(api_as, anon, helper, customer):
    answer = _upload(helper, "me.png", PNG, "image/png")
    assert answer.status_code == 200, answer.content
    url = answer.json()["photo_url"]
    public = anon.get(f"/helpers/{helper.pk}").data["photo_url"]
    assert public == url
    path = url.split("testserver")[-1] if "testserver" in url else url[url.index("/people/") :]
    served = Client().get(path)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert picture_size(b"".join(served.streaming_content)) == picture_size(PNG)
    assert api_as(helper).delete("/me/photo").status_code == 204
    assert Client().get(path).status_code == 404
    assert anon.get(f"/helpers/{helper.pk}").data["photo_url"] is None


def test_a_customers_photo_is_seen_by_its_owner_only(customer, browser_as):
    assert _upload(customer, "me.png", PNG, "image/png").status_code == 200
    assert Client().get(f"/people/{customer.pk}/photo").status_code == 404
    assert browser_as(customer).get(f"/people/{customer.pk}/photo").status_code == 200


def test_a_file_that_is_no_photo_is_refused(customer):
    html = _upload(customer, "me.png", b"<html><script>alert(1)</script>", "image/png")
    assert html.status_code == 422
    assert "photo.0" in html.json()["errors"]
    heic = _upload(customer, "me.pdf", b"%PDF-1.4", "application/pdf")
    assert heic.status_code == 422
    assert not User.objects.get(pk=customer.pk).photo


@pytest.fixture
def browser_as() -> Any:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def test_erasing_the_account_deletes_its_photo(helper, django_capture_on_commit_callbacks):
    from quartier.accounts.personal_data import erase

    assert _upload(helper, "me.png", PNG, "image/png").status_code == 200
    helper.refresh_from_db()
    storage, name = helper.photo.storage, helper.photo.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase(helper.pk)
    assert not storage.exists(name)
    assert not User.objects.get(pk=helper.pk).photo
