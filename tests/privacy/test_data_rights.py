"""A member downloads their data and deletes their account (revDSG / GDPR)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from quartier.accounts.models import HelperProfile, User
from quartier.catalog.models import HelperSkill
from quartier.jobs.models import JobRequest
from quartier.messaging.models import Message
from quartier.messaging.services import message_send
from quartier.privacy.services import deletions_erase_due
from quartier.reviews.models import Review
from quartier.reviews.services import review_create
from tests.factories import make_booking, make_request, play_visit
from tests.mail import send_queued_emails

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.django_db


def _zip(content: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: json.loads(archive.read(name)) if name.endswith(".json") else archive.read(name)
            for name in archive.namelist()
        }


def _finished_job(customer: User, helper: User):  # type: ignore[no-untyped-def]
    booking = make_booking(customer, helper, description="Router in the cellar, Eingang B")
    message_send(
        actor=customer, request_id=booking.request_id, helper_id=helper.pk, body="Klingel Muster"
    )
    play_visit(booking.pk)
    review_create(actor=customer, booking_id=booking.pk, rating=5, text="Hans was quick and kind.")
    return booking


def test_the_export_holds_what_quartier_knows_about_me(customer, helper, api_as):
    booking = _finished_job(customer, helper)

    response = api_as(customer).client.get("/api/v1/me/export", headers=api_as(customer).headers)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = _zip(response.content)
    assert files["accounts.json"]["account"]["email"] == "anna@example.com"
    assert files["accounts.json"]["account"]["phone"] == "+41 79 111 22 33"
    [request] = files["jobs.json"]["requests"]
    assert request["description"] == "Router in the cellar, Eingang B"
    assert files["bookings.json"]["bookings"][0]["id"] == booking.pk
    assert files["messaging.json"]["messages_sent"][0]["body"] == "Klingel Muster"
    assert files["reviews.json"]["reviews_written"][0]["text"] == "Hans was quick and kind."
    assert b"Your data at Quartier" in files["README.txt"]
    # The helper's export shows the review they received, not the customer's other data.
    theirs = _zip(
        api_as(helper).client.get("/api/v1/me/export", headers=api_as(helper).headers).content
    )
    assert theirs["reviews.json"]["reviews_received"][0]["rating"] == 5
    assert theirs["jobs.json"]["requests"] == []


def test_the_web_page_downloads_the_same_zip(customer):
    client = Client()
    client.force_login(customer)

    page = client.get("/me/data")
    download = client.get("/me/data/export")

    assert page.status_code == 200
    assert "Delete my account" in page.content.decode()
    assert download["Content-Disposition"].startswith('attachment; filename="quartier-data-')
    assert "accounts.json" in _zip(download.content)


def test_deletion_waits_for_the_grace_period_then_erases_everywhere(
    customer, helper, api_as, django_capture_on_commit_callbacks
):
    booking = _finished_job(customer, helper)
    with django_capture_on_commit_callbacks(execute=True):
        asked = api_as(customer).post("/me/deletion", {"password": PASSWORD})
    assert asked.status_code == 202
    send_queued_emails()
    assert mail.outbox[-1].subject == "Dein Quartier-Konto wird gelöscht"  # her language

    assert deletions_erase_due() == 0  # still in the grace period
    assert User.objects.get(pk=customer.pk).email == "anna@example.com"

    with django_capture_on_commit_callbacks(execute=True):
        assert deletions_erase_due(now=timezone.now() + timedelta(days=31)) == 1

    gone = User.objects.get(pk=customer.pk)
    assert (gone.email, gone.full_name, gone.phone, gone.is_active) == (
        f"deleted-{customer.pk}@deleted.invalid",
        "Deleted member",
        "",
        False,
    )
    assert not gone.has_usable_password()
    request = JobRequest.objects.get(pk=booking.request_id)
    assert (request.street_address, request.description) == ("", "")
    assert Message.objects.get(sender=customer).body == "—"
    review = Review.objects.get(author=customer)
    assert (review.text, review.rating) == ("", 5)  # the helper keeps the rating
    # The account cannot be used any more, not even with the old token or password.
    assert api_as(customer).get("/me").status_code == 401
    assert not Client().login(email="anna@example.com", password=PASSWORD)
    send_queued_emails()
    assert mail.outbox[-1].to == ["anna@example.com"]
    assert mail.outbox[-1].subject == "Dein Quartier-Konto wurde gelöscht"


def test_a_helper_is_paused_at_once_and_loses_profile_and_skills_at_the_end(helper, api_as):
    assert api_as(helper).post("/me/deletion", {"password": PASSWORD}).status_code == 202
    assert HelperProfile.objects.get(user=helper).is_available is False

    deletions_erase_due(now=timezone.now() + timedelta(days=31))

    assert not HelperProfile.objects.filter(user=helper).exists()
    assert not HelperSkill.objects.filter(helper=helper).exists()


def test_changing_ones_mind_keeps_the_account(customer, api_as):
    api_as(customer).post("/me/deletion", {"password": PASSWORD})

    assert api_as(customer).delete("/me/deletion").status_code == 204
    assert deletions_erase_due(now=timezone.now() + timedelta(days=31)) == 0
    assert User.objects.get(pk=customer.pk).is_active
    assert api_as(customer).delete("/me/deletion").status_code == 404


def test_deletion_needs_the_password_and_no_live_booking(customer, helper, api_as):
    make_booking(customer, helper)

    wrong = api_as(customer).post("/me/deletion", {"password": "guess"})
    live = api_as(customer).post("/me/deletion", {"password": PASSWORD})

    assert wrong.status_code == 422
    assert wrong.data["errors"]["password"]
    assert live.status_code == 409
    assert live.data["code"] == "live_bookings"


def test_the_web_form_explains_a_refusal_and_schedules_on_success(customer):
    client = Client()
    client.force_login(customer)

    refused = client.post("/me/data", {"password": "guess"})
    done = client.post("/me/data", {"password": PASSWORD}, follow=True)

    assert "That is not your password." in refused.content.decode()
    assert "Your account will be deleted on" in done.content.decode()
    assert "Keep my account" in done.content.decode()


def test_an_open_request_is_withdrawn_when_the_account_is_erased(customer, api_as):
    request = make_request(customer)
    api_as(customer).post("/me/deletion", {"password": PASSWORD})

    deletions_erase_due(now=timezone.now() + timedelta(days=31))

    assert JobRequest.objects.get(pk=request.pk).state == "cancelled"


def test_the_page_speaks_german(customer):
    client = Client()
    client.force_login(customer)

    page = client.get("/me/data", headers={"Accept-Language": "de"}).content.decode()

    assert "Deine Daten und dein Konto" in page
    assert "Mein Konto löschen" in page
