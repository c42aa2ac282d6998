"""Log-in and reset throttling: a few guesses per account and per address, then a wait
that the right password does not skip; counted in the shared cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _start_of_a_window():
    """Counting windows are fixed (15 minutes): start each test at a window's start, so a
    slow machine never splits a test's attempts across two windows."""
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)):
        yield


def _api_log_in(client: Client, email: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        "/api/v1/auth/login",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(customer):
    client = Client()
    for _ in range(5):
        assert _api_log_in(client, customer.email, "wrong guess").status_code == 401
    locked = _api_log_in(client, customer.email, PASSWORD)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"
    assert locked.json()["code"] == "too_many_attempts"
    assert 0 < int(locked["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    # Another address does not help: the account itself is locked.
    assert _api_log_in(Client(), customer.email.upper(), PASSWORD, "203.0.113.9").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert _api_log_in(client, customer.email, PASSWORD).status_code == 200


def test_a_success_clears_the_accounts_failures(customer):
    client = Client()
    for _ in range(4):
        _api_log_in(client, customer.email, "wrong guess")
    assert _api_log_in(client, customer.email, PASSWORD).status_code == 200
    for _ in range(4):
        _api_log_in(client, customer.email, "wrong guess")
    assert _api_log_in(client, customer.email, PASSWORD).status_code == 200


def test_twenty_failures_from_one_address_lock_that_address(customer):
    client = Client()
    for index in range(20):
        _api_log_in(client, f"guess{index}@example.com", "wrong guess")
    assert _api_log_in(client, customer.email, PASSWORD).status_code == 429
    # The same /64 is the same subscriber.
    assert _api_log_in(client, customer.email, PASSWORD, "2001:db8::1").status_code == 200


def test_an_ipv6_subscriber_is_counted_per_64(customer):
    client = Client()
    for index in range(20):
        _api_log_in(client, f"guess{index}@example.com", "x", f"2001:db8:1:2::{index + 1:x}")
    assert _api_log_in(client, customer.email, PASSWORD, "2001:db8:1:2::ffff").status_code == 429


def test_the_web_log_in_is_throttled_with_a_friendly_error(customer):
    client = Client(headers={"accept-language": "en"})
    for _ in range(5):
        client.post("/login", {"username": customer.email, "password": "wrong guess"})
    page = client.post("/login", {"username": customer.email, "password": PASSWORD})
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_throttled_per_email(customer, settings):
    settings.TASKS = IMMEDIATE
    client = Client(headers={"accept-language": "en"})
    for _ in range(5):
        assert client.post("/password/reset", {"email": customer.email}).status_code == 302
    sent = len(mail.outbox)
    refused = client.post("/password/reset", {"email": customer.email}, REMOTE_ADDR="192.0.2.50")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert len(mail.outbox) == sent


def test_password_reset_requests_are_throttled_per_address():
    client = Client()
    for index in range(20):
        client.post("/password/reset", {"email": f"someone{index}@example.com"})
    assert client.post("/password/reset", {"email": "late@example.com"}).status_code == 429


def test_the_back_office_log_in_is_throttled_too():
    operator = make_customer(email="op@example.com", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": operator.email, "password": "wrong"})
    client.post("/admin/login/", {"username": operator.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_the_wait_is_explained_in_german(customer):
    client = Client(headers={"accept-language": "de"})
    for _ in range(6):
        page = client.post("/login", {"username": customer.email, "password": "falsch"})
    assert "Zu viele Versuche" in page.content.decode()
