"""A suspended helper is told why, by e-mail and on their start page, answers once, and an
operator's reply — reinstating or not — reaches them (contractor independence: people
decide, for reasons the helper sees and can contest)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from quartier.accounts.appeal_models import SuspensionAppeal
from quartier.accounts.models import HelperProfile
from quartier.accounts.services import api_token_create, helper_suspend
from quartier.events.outbox import events_deliver
from tests.factories import make_customer
from tests.mail import send_queued_emails

pytestmark = pytest.mark.django_db
REASON = "Two customers reported no-shows in November"


@pytest.fixture
def operator():
    return make_customer(email="root@example.com", is_staff=True, is_superuser=True)


def test_the_helper_reads_the_reason_by_email_and_on_the_start_page(
    operator, helper, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        helper_suspend(actor=operator, helper_id=helper.pk, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        events_deliver()
    send_queued_emails()
    assert any(REASON in message.body for message in mail.outbox)
    assert mail.outbox[-1].to == [helper.email]

    client = Client(headers={"accept-language": "de"})
    client.force_login(helper)
    page = client.get("/me").content.decode()
    assert "Quartier hat dein Profil gesperrt" in page
    assert REASON in page
    assert "Verdientes Geld wird weiterhin ausbezahlt" in page


def test_the_helper_answers_once_and_the_operators_reply_reinstates_them(
    operator, helper, django_capture_on_commit_callbacks
):
    helper_suspend(actor=operator, helper_id=helper.pk, reason=REASON)
    client = Client()
    client.force_login(helper)

    sent = client.post("/me/suspension/appeal", {"text": "I was ill; I called both."}, follow=True)
    again = client.post("/me/suspension/appeal", {"text": "Hello?"}, follow=True)

    assert "A person at Quartier will read it" in sent.content.decode()
    assert "answered this suspension already" in again.content.decode()
    [appeal] = SuspensionAppeal.objects.filter(helper=helper)
    assert (appeal.text, appeal.reason) == ("I was ill; I called both.", REASON)

    back_office = Client()
    back_office.force_login(operator)
    url = f"/admin/accounts/suspensionappeal/{appeal.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        back_office.post(url, {"answer": "Thanks, understood. Welcome back.", "reinstated": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        events_deliver()
    send_queued_emails()

    assert HelperProfile.objects.get(user=helper).suspended_at is None
    appeal.refresh_from_db()
    assert appeal.answered_by == operator
    assert any("Welcome back" in message.body for message in mail.outbox)


def test_an_empty_reply_is_refused_in_the_back_office(operator, helper):
    helper_suspend(actor=operator, helper_id=helper.pk, reason=REASON)
    appeal = SuspensionAppeal.objects.create(
        helper=helper,
        suspended_at=HelperProfile.objects.get(user=helper).suspended_at,
        reason=REASON,
        text="Please check again.",
    )
    back_office = Client()
    back_office.force_login(operator)

    answer = back_office.post(
        f"/admin/accounts/suspensionappeal/{appeal.pk}/change/", {"answer": " "}
    )

    assert "Write the answer the helper will read" in answer.content.decode()
    assert HelperProfile.objects.get(user=helper).suspended_at is not None


def test_the_api_takes_an_appeal_only_from_a_suspended_helper(operator, helper):
    headers = {"Authorization": f"Bearer {api_token_create(user=helper)}"}
    client = Client()
    not_yet = client.post(
        "/api/v1/me/suspension-appeal",
        {"text": "?"},
        content_type="application/json",
        headers=headers,
    )
    helper_suspend(actor=operator, helper_id=helper.pk, reason=REASON)
    profile = client.get("/api/v1/me/helper-profile", headers=headers).json()
    created = client.post(
        "/api/v1/me/suspension-appeal",
        {"text": "It was a mix-up."},
        content_type="application/json",
        headers=headers,
    )

    assert (not_yet.status_code, not_yet.json()["code"]) == (409, "not_suspended")
    assert profile["suspension_reason"] == REASON
    assert created.status_code == 201
    assert created.json()["reason"] == REASON
