"""The notification inbox in the browser: the unread badge, marking read, e-mail choices."""

from __future__ import annotations

import re

import pytest

from quartier.notifications.models import EmailOptOut
from tests.factories import make_offer, make_request

pytestmark = pytest.mark.django_db


def test_the_badge_counts_unread_and_marking_read_clears_it(browser_as, customer, helper):
    job = make_request(customer)
    make_offer(helper, job)
    client = browser_as(customer)
    home = client.get("/requests").content.decode()
    assert 'aria-label="1 unread"' in home
    page = client.get("/notifications").content.decode()
    assert f"Neues Angebot von {helper.first_name}" in page  # in her language (de)
    assert f'href="/requests/{job.pk}"' in page
    client.post("/notifications/read")
    assert "unread" not in client.get("/requests").content.decode()


def test_choosing_what_comes_by_email(browser_as, customer):
    client = browser_as(customer)
    saved = client.post("/notifications", {"by_email": ["message", "booked"]}, follow=True)
    assert "Your e-mail choices apply from now on." in saved.content.decode()
    assert set(EmailOptOut.objects.filter(user=customer).values_list("kind", flat=True)) == {
        "invitation",
        "offer",
        "cancelled",
        "completed",
        "dispute",
        "case_contact",
        "no_helper",
        "payment",
    }
    page = client.get("/notifications").content.decode()
    assert re.search(r'value="message"[^>]*checked', page)
    assert not re.search(r'value="offer"[^>]*checked', page)


def test_notifications_need_a_log_in(browser_as):
    assert browser_as().get("/notifications")["Location"].startswith("/login")
