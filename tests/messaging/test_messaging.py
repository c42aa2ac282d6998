"""Messaging between a customer and a helper: who may write, masking before the booking,
reports and moderation, through the API as an app would use it."""

from __future__ import annotations

import pytest
from django.core import mail

from quartier.messaging.models import AbuseReport, Message
from quartier.messaging.services import abuse_report_resolve
from tests.factories import make_booking, make_customer, make_helper, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(customer):
    return make_request(customer)


def thread_path(job, helper):
    return f"/requests/{job.pk}/conversations/{helper.pk}"


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_helper_asks_and_customer_answers(
    api_as, customer, helper, job, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE  # run the notification task right away
    with django_capture_on_commit_callbacks(execute=True):
        asked = api_as(helper).post(thread_path(job, helper), {"body": "Which TV box model is it?"})
    assert asked.status_code == 201, asked.data
    answered = api_as(customer).post(
        thread_path(job, helper), {"body": "A TV-Box 2 from SwissTel."}
    )
    assert answered.status_code == 201
    seen = api_as(helper).get(thread_path(job, helper)).data
    assert [(m["body"], m["mine"]) for m in seen] == [
        ("Which TV box model is it?", True),
        ("A TV-Box 2 from SwissTel.", False),
    ]
    newer = api_as(customer).get(thread_path(job, helper) + f"?after={seen[0]['id']}").data
    assert [m["body"] for m in newer] == ["A TV-Box 2 from SwissTel."]
    # The customer got an e-mail about the helper's question, with a link to answer.
    (email,) = mail.outbox
    assert email.to == [customer.email]
    assert "Which TV box model is it?" in email.body
    assert f"/messages/{job.pk}/{helper.pk}" in email.body


def test_contact_details_are_masked_until_the_booking(api_as, customer, helper):
    booking = make_booking(customer, helper)
    other_job = make_request(customer, title="Second TV")
    before = api_as(helper).post(
        thread_path(other_job, helper), {"body": "Call me: +41 79 555 66 77 or hans@example.org"}
    )
    assert before.data["masked"] is True
    assert "555" not in before.data["body"]
    assert "@" not in before.data["body"]
    assert "Call me" in before.data["body"]
    after = api_as(helper).post(
        thread_path(booking.request, helper), {"body": "Call me: +41 79 555 66 77"}
    )
    assert after.data["masked"] is False
    assert "+41 79 555 66 77" in after.data["body"]


def test_prices_postcodes_and_dates_are_not_masked(api_as, helper, job):
    text = "CHF 120, on 27.11.2026 at 14:30 in 8004"
    sent = api_as(helper).post(thread_path(job, helper), {"body": text})
    assert sent.data == sent.data | {"body": text, "masked": False}


def test_outsiders_cannot_read_or_write(api_as, customer, helper, job):
    api_as(helper).post(thread_path(job, helper), {"body": "Hello"})
    stranger = make_customer(email="eve@example.com")
    far_helper = make_helper(email="far@example.com", postcode="3011")  # Bern: out of reach
    assert api_as(stranger).get(thread_path(job, helper)).status_code == 404
    assert api_as(stranger).post(thread_path(job, helper), {"body": "hi"}).status_code == 404
    # A helper who cannot serve the request can neither write nor be written to.
    assert api_as(far_helper).post(thread_path(job, far_helper), {"body": "hi"}).status_code == 404
    assert api_as(customer).post(thread_path(job, far_helper), {"body": "hi"}).status_code == 404
    # Another helper cannot read a conversation that is not theirs.
    near = make_helper(email="near@example.com", postcode="8004")
    assert api_as(near).get(thread_path(job, helper)).status_code == 404
    assert Message.objects.count() == 1


def test_empty_and_overlong_messages_are_refused(api_as, helper, job):
    empty = api_as(helper).post(thread_path(job, helper), {"body": "   "})
    assert empty.status_code == 422
    assert empty["Content-Type"] == "application/problem+json"
    assert "body" in empty.data["errors"]
    long = api_as(helper).post(thread_path(job, helper), {"body": "x" * 2001})
    assert long.status_code == 422
    assert Message.objects.count() == 0


def test_a_cancelled_request_closes_the_conversation(api_as, customer, helper, job):
    api_as(helper).post(thread_path(job, helper), {"body": "Hello"})
    api_as(customer).post(f"/requests/{job.pk}/cancel", {"reason": "solved"})
    late = api_as(helper).post(thread_path(job, helper), {"body": "Still there?"})
    assert late.status_code == 409
    assert late.data["code"] == "conversation_closed"
    assert [m["body"] for m in api_as(customer).get(thread_path(job, helper)).data] == ["Hello"]


def test_report_and_moderation_remove_the_message(api_as, customer, helper, job):
    rude = api_as(helper).post(thread_path(job, helper), {"body": "You idiot"}).data
    own = api_as(helper).post(f"/messages/{rude['id']}/report", {"reason": "me"})
    assert own.status_code == 403
    reported = api_as(customer).post(f"/messages/{rude['id']}/report", {"reason": "insult"})
    assert reported.status_code == 201
    again = api_as(customer).post(f"/messages/{rude['id']}/report", {"reason": "insult"})
    assert again.status_code == 409
    outsider = make_customer(email="eve@example.com")
    assert (
        api_as(outsider).post(f"/messages/{rude['id']}/report", {"reason": "x"}).status_code == 404
    )

    operator = make_customer(email="ops@example.com", is_staff=True)
    assert abuse_report_resolve(actor=operator, report_id=reported.data["id"], uphold=True) == 1
    seen = api_as(customer).get(thread_path(job, helper)).data
    assert seen[0]["removed"] is True
    assert seen[0]["body"] == ""
    assert AbuseReport.objects.get().status == "upheld"
