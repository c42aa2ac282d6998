"""API tokens: they expire, their owner lists and revokes them, a new password kills them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from quartier.accounts.models import ApiToken
from tests.conftest import PASSWORD, Api
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _log_in(email: str, password: str = PASSWORD) -> str:
    response = Client().post(
        "/api/v1/auth/login",
        {"email": email, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _bearer(token: str) -> Api:
    client = Api()
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_a_token_expires_after_the_configured_days(customer, settings):
    settings.QUARTIER_API_TOKEN_DAYS = 30
    token = _log_in(customer.email)
    with time_machine.travel(timezone.now() + timedelta(days=29), tick=False):
        assert _bearer(token).get("/me").status_code == 200  # use does not extend it
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1), tick=False):
        assert _bearer(token).get("/me").status_code == 401


def test_the_owner_lists_tokens_without_their_secrets(customer):
    first, second = _log_in(customer.email), _log_in(customer.email)
    make_customer(email="other@example.com")
    _log_in("other@example.com")
    listed = _bearer(first).get("/me/tokens")
    assert listed.status_code == 200
    assert [t["prefix"] for t in listed.data] == [second[:10], first[:10]]
    body = listed.content.decode()
    assert first not in body
    assert second not in body
    assert all(t["expires_at"] for t in listed.data)


def test_the_owner_revokes_one_token_and_only_that_one_stops(customer):
    lost, kept = _log_in(customer.email), _log_in(customer.email)
    lost_id = ApiToken.objects.get(prefix=lost[:10]).pk
    assert _bearer(kept).delete(f"/me/tokens/{lost_id}").status_code == 204
    assert _bearer(lost).get("/me").status_code == 401
    assert _bearer(kept).get("/me").status_code == 200


def test_someone_elses_token_is_not_found_and_keeps_working(customer):
    mine = _log_in(customer.email)
    make_customer(email="eve@example.com")
    theirs = _log_in("eve@example.com")
    their_id = ApiToken.objects.get(prefix=theirs[:10]).pk
    response = _bearer(mine).delete(f"/me/tokens/{their_id}")
    assert response.status_code == 404
    assert _bearer(theirs).get("/me").status_code == 200


def test_anonymous_callers_cannot_list_or_revoke(customer):
    token = _log_in(customer.email)
    token_id = ApiToken.objects.get(prefix=token[:10]).pk
    assert Api().get("/me/tokens").status_code == 401
    assert Api().delete(f"/me/tokens/{token_id}").status_code == 401
    assert ApiToken.objects.filter(pk=token_id).exists()


def test_any_password_change_revokes_every_token(customer):
    tokens = [_log_in(customer.email), _log_in(customer.email)]
    customer.set_password("a brand new passphrase")
    customer.save()
    for token in tokens:
        assert _bearer(token).get("/me").status_code == 401
    fresh = _log_in(customer.email, "a brand new passphrase")
    assert [t["prefix"] for t in _bearer(fresh).get("/me/tokens").data] == [fresh[:10]]
    assert ApiToken.objects.filter(user=customer).count() == 1  # the dead ones are gone


def test_a_reset_by_email_link_revokes_every_token(
    customer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    token = _log_in(customer.email)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password/reset", {"email": customer.email})
    link = re.search(r"https?://[^/\s]+(/password/set/\S+)", mail.outbox[-1].body)
    assert link
    page = client.get(link.group(1), follow=True)
    new = "another long passphrase 7"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    customer.refresh_from_db()
    assert customer.check_password(new)
    assert _bearer(token).get("/me").status_code == 401


def test_the_start_page_lists_tokens_and_removes_one(customer):
    token = _log_in(customer.email)
    browser = Client(headers={"accept-language": "de"})
    browser.force_login(customer)
    page = browser.get("/me").content.decode()
    assert "Apps mit Zugang" in page
    assert token[:10] in page
    assert token not in page
    token_id = ApiToken.objects.get(prefix=token[:10]).pk
    removed = browser.post(f"/me/tokens/{token_id}/remove", follow=True)
    assert "Der Zugang der App ist entfernt." in removed.content.decode()
    assert _bearer(token).get("/me").status_code == 401


def test_nobody_removes_someone_elses_token_on_the_web(customer):
    make_customer(email="eve@example.com")
    theirs = _log_in("eve@example.com")
    browser = Client()
    browser.force_login(customer)
    their_id = ApiToken.objects.get(prefix=theirs[:10]).pk
    assert browser.post(f"/me/tokens/{their_id}/remove").status_code == 404
    assert _bearer(theirs).get("/me").status_code == 200
