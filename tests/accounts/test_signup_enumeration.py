"""Signing up with an address that has an account: the answer does not tell, the
address's owner gets an e-mail (in their language) instead."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from quartier.accounts.models import User
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SIGNUP = {
    "full_name": "Mallory",
    "email": "anna@example.com",
    "password": "a long passphrase 99",
    "roles": ["customer"],
}


@pytest.fixture
def anna(settings):
    settings.TASKS = IMMEDIATE
    return make_customer(email="anna@example.com", full_name="Anna", preferred_language="de")


def test_the_api_answers_a_taken_address_like_a_new_one_and_tells_its_owner(
    anna, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/api/v1/auth/register", SIGNUP, content_type="application/json")
        new = client.post(
            "/api/v1/auth/register",
            SIGNUP | {"email": "fresh@example.com"},
            content_type="application/json",
        )
    assert taken.status_code == new.status_code == 201
    assert set(taken.json()) == set(new.json()) == {"email", "detail"}
    assert taken.json()["detail"] == new.json()["detail"]
    # Both addresses get an e-mail: the owner a notice, the new account its verification link.
    notice, verification = mail.outbox
    assert notice.to == ["anna@example.com"]
    assert notice.subject == "Jemand wollte sich mit deiner E-Mail-Adresse registrieren"
    assert verification.to == ["fresh@example.com"]
    assert "/email/verify/" in verification.body
    assert "/login" in notice.body
    anna.refresh_from_db()
    assert anna.full_name == "Anna"
    assert anna.check_password("correct horse battery staple")
    assert User.objects.filter(email="fresh@example.com").exists()


def test_the_web_sign_up_does_not_say_the_address_is_taken(
    anna, django_capture_on_commit_callbacks
):
    client = Client(headers={"accept-language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/signup", SIGNUP, follow=True)
    assert "exists already" not in page.content.decode()
    assert "_auth_user_id" not in client.session
    (notice,) = mail.outbox
    assert notice.to == ["anna@example.com"]
    assert User.objects.count() == 1
