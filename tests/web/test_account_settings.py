"""The account settings page (German), the e-mailed links' pages, and the checkout that
waits for a confirmed address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from tests.factories import make_offer, make_request
from tests.images import PNG

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _page(response: Any) -> str:
    return str(response.content.decode())


def test_the_settings_page_speaks_german_and_saves_details(browser_as, customer):
    client = browser_as(customer, "de")
    page = _page(client.get("/me/settings"))
    assert "Konto-Einstellungen" in page
    assert "Helfer*in werden" in page
    saved = client.post(
        "/me/settings",
        {"action": "profile", "full_name": "Anna Neu", "phone": "", "preferred_language": "en"},
        follow=True,
    )
    assert "Your details are saved." in _page(saved)  # the site now speaks the chosen language
    assert saved.client.cookies["django_language"].value == "en"
    customer.refresh_from_db()
    assert (customer.full_name, customer.preferred_language) == ("Anna Neu", "en")


def test_a_wrong_current_password_is_a_form_error_in_german(browser_as, customer):
    client = browser_as(customer, "de")
    refused = client.post(
        "/me/settings",
        {"action": "password", "current_password": "falsch", "new_password": "ein neues passwort"},
    )
    assert refused.status_code == 422
    assert "Das ist nicht dein Passwort." in _page(refused)
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_a_password_change_keeps_this_browser_and_logs_out_the_others(browser_as, customer):
    here, elsewhere = browser_as(customer, "de"), browser_as(customer, "de")
    client = here
    client.post(
        "/me/settings",
        {
            "action": "password",
            "current_password": PASSWORD,
            "new_password": "ein ganz neues passwort",
        },
    )
    assert here.get("/me/settings").status_code == 200
    assert elsewhere.get("/me/settings").status_code == 302  # to the log-in


def test_the_email_change_link_asks_before_it_changes(
    browser_as, customer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    client = browser_as(customer, "de")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/me/settings",
            {"action": "email", "new_email": "anna@neu.example", "password": PASSWORD},
        )
    link = re.search(r"https?://[^/\s]+(/email/change/\S+)", mail.outbox[0].body).group(1)
    assert "Bestätigen" in _page(client.get(link))  # a mail scanner's GET changes nothing
    assert User.objects.get(pk=customer.pk).email == "anna@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link, follow=True)
    assert "anna@neu.example" in _page(done)
    assert User.objects.get(pk=customer.pk).email == "anna@neu.example"
    assert mail.outbox[-1].to == ["anna@example.com"]  # the old address is told
    again = client.post(link)
    assert again.status_code == 422


def test_checkout_asks_an_unverified_customer_to_confirm_and_can_resend(
    browser_as, customer, helper, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    User.objects.filter(pk=customer.pk).update(email_verified_at=None)
    customer.refresh_from_db()
    offer = make_offer(helper, make_request(customer))
    client = browser_as(customer, "de")
    page = _page(client.get(f"/offers/{offer.pk}/accept"))
    assert "Bitte bestätige deine E-Mail-Adresse, bevor du buchst." in page
    refused = client.post(f"/offers/{offer.pk}/accept", {"payment_method": "transfer"}, follow=True)
    assert refused.status_code == 200
    assert "Link erneut senden" in _page(refused)
    assert not Booking.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(
            "/me/settings/verification", {"next": f"/offers/{offer.pk}/accept"}, follow=True
        )
    assert resent.redirect_chain[-1][0] == f"/offers/{offer.pk}/accept"
    link = re.search(r"https?://[^/\s]+(/email/verify/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)
    client.post(f"/offers/{offer.pk}/accept", {"payment_method": "transfer"})
    assert Booking.objects.filter(customer=customer).exists()


def test_signing_up_sends_the_verification_link(
    browser_as, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        browser_as(None, "de").post(
            "/signup",
            {
                "full_name": "Eva Beispiel",
                "email": "eva@example.com",
                "password": PASSWORD,
                "roles": ["customer"],
            },
        )
    (welcome,) = mail.outbox
    assert welcome.to == ["eva@example.com"]
    assert "Bitte bestätige deine E-Mail-Adresse" in welcome.subject
    assert not User.objects.get(email="eva@example.com").email_verified


def test_a_helpers_photo_shows_in_the_directory_profile(browser_as, helper):
    client = browser_as(helper, "de")
    png = PNG
    client.post(
        "/me/settings",
        {"action": "photo", "photo": SimpleUploadedFile("me.png", png, content_type="image/png")},
    )
    profile = _page(browser_as(None, "de").get(f"/helpers/{helper.pk}"))
    assert f"/people/{helper.pk}/photo" in profile
    refused = client.post(
        "/me/settings",
        {
            "action": "photo",
            "photo": SimpleUploadedFile("x.png", b"GIF89a", content_type="image/png"),
        },
    )
    assert refused.status_code == 422
    assert "Diese Datei ist nicht das Foto, das ihr Name verspricht." in _page(refused)
    client.post("/me/settings", {"action": "photo_remove"})
    assert f"/people/{helper.pk}/photo" not in _page(browser_as(None).get(f"/helpers/{helper.pk}"))


def test_a_customer_becomes_a_helper_from_the_settings(browser_as, customer):
    client = browser_as(customer, "de")
    assert client.get("/helper/onboarding").status_code == 403
    went = client.post("/me/settings", {"action": "role", "role": "helper"})
    assert went.status_code == 302
    assert went["Location"] == "/helper/onboarding"
    assert client.get("/helper/onboarding").status_code == 200
    assert User.objects.get(pk=customer.pk).roles == ["customer", "helper"]
