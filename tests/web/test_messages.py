"""Conversations in the browser: write, see new messages by polling, report a message."""

from __future__ import annotations

import pytest

from quartier.messaging.models import AbuseReport, Message
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_customer_asks_a_matched_helper_and_the_helper_answers(browser_as, customer, helper):
    job = make_request(customer)
    page = f"/messages/{job.pk}/{helper.pk}"
    as_customer = browser_as(customer)
    assert "Ask a question" in as_customer.get(f"/requests/{job.pk}").content.decode()
    sent = as_customer.post(page, {"body": "Can you come on Saturday? Call 079 123 45 67"})
    assert sent.status_code == 302
    html = browser_as(helper).get(page).content.decode()
    assert "Can you come on Saturday?" in html
    assert "079 123 45 67" not in html
    assert "Contact details were hidden until the booking." in html
    reply = browser_as(helper).post(
        page, {"body": "Yes, from 10:00."}, headers={"HX-Request": "true"}
    )
    assert reply.status_code == 200
    assert "Yes, from 10:00." in reply.content.decode()  # the list, swapped in by htmx
    polled = as_customer.get(page + "/list").content.decode()
    assert "Yes, from 10:00." in polled
    inbox = as_customer.get("/messages").content.decode()
    assert job.title in inbox


def test_an_empty_message_is_a_form_error_and_nothing_is_sent(browser_as, customer, helper):
    job = make_request(customer)
    response = browser_as(customer, "de").post(f"/messages/{job.pk}/{helper.pk}", {"body": ""})
    assert response.status_code == 200
    assert 'class="field textarea invalid"' in response.content.decode()
    assert Message.objects.count() == 0


def test_reporting_a_message_thanks_the_reporter(browser_as, customer, helper):
    job = make_request(customer)
    page = f"/messages/{job.pk}/{helper.pk}"
    browser_as(helper).post(page, {"body": "Rude words"})
    message = Message.objects.get()
    reported = browser_as(customer).post(
        f"/messages/report/{message.pk}", {"reason": "insulting", "next": page}, follow=True
    )
    assert "Our team will look at this message." in reported.content.decode()
    assert AbuseReport.objects.get().reason == "insulting"


def test_strangers_get_not_found(browser_as, customer, helper, stranger):
    job = make_request(customer)
    assert browser_as(stranger).get(f"/messages/{job.pk}/{helper.pk}").status_code == 404
