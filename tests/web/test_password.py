"""Setting a password by e-mail: "forgot my password", and a partner's customer claiming the
account their case opened, to follow it and rate the helper."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from quartier.accounts.models import User
from quartier.partners.facade import case_create
from tests.partners.factories import make_partner, make_program

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _link(body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/password/set/\S+)", body)
    assert found, body
    return found.group(1)


def test_forgot_password_sets_a_new_one_and_logs_in(
    browser_as, customer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE  # the e-mail is a task after commit (through notifications)
    client = browser_as(None, "en")
    assert "Forgot your password?" in client.get("/login").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password/reset", {"email": customer.email})
    (email,) = mail.outbox
    page = client.get(_link(email.body), follow=True)
    assert "Choose your password" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"},
        follow=True,
    )
    assert "Your password is set" in done.content.decode()
    customer.refresh_from_db()
    assert customer.check_password("a long new passphrase 42")
    # The link works once.
    assert "This link has expired" in client.get(_link(email.body), follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(browser_as):
    sent = browser_as(None, "en").post(
        "/password/reset", {"email": "nobody@example.com"}, follow=True
    )
    assert "If an account uses this address" in sent.content.decode()
    assert mail.outbox == []


def test_a_partners_customer_claims_the_account_from_the_case_email(
    browser_as, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    partner = make_partner()
    make_program(partner)
    with django_capture_on_commit_callbacks(execute=True):
        case_create(
            partner=partner,
            program="home-internet",
            service_code="router-setup",
            reference="TT-1",
            contact_name="Erika Beispiel",
            contact_email="erika@example.com",
            contact_phone="",
            country="CH",
            postcode="8004",
            street_address="Bahnhofstrasse 1",
            description="WLAN drops",
            products=[],
        )
    customer = User.objects.get(email="erika@example.com")
    assert not customer.has_usable_password()
    (invite,) = [m for m in mail.outbox if m.to == ["erika@example.com"]]
    assert "SwissTel" in invite.subject
    client = browser_as(None, "de")
    page = client.get(_link(invite.body), follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "erikas own passphrase", "new_password2": "erikas own passphrase"},
    )
    customer.refresh_from_db()
    assert customer.check_password("erikas own passphrase")
    requests = client.get("/requests").content.decode()  # logged in: her case is there
    assert "Router Setup" in requests
