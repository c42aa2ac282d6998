"""E-mails are plain text: people's words arrive as written (no HTML entities), the inbox
shows them escaped once, and English e-mails write dates as Swiss and German readers do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from quartier.notifications.models import Notification
from tests.factories import make_offer, make_request

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_an_apostrophe_arrives_as_written(customer, helper, django_capture_on_commit_callbacks):
    customer.preferred_language = "en"
    customer.save()
    job = make_request(customer, title="TV won't start & no sound")
    with django_capture_on_commit_callbacks(execute=True):
        make_offer(helper, job, price=9000)

    (email,) = [m for m in mail.outbox if m.to == [customer.email]]
    assert "TV won't start & no sound" in email.subject
    assert "&#x27;" not in email.subject + email.body
    assert "&amp;" not in email.subject + email.body

    client = Client(headers={"accept-language": "en"})
    client.force_login(customer)
    page = client.get("/notifications").content.decode()
    assert "TV won&#x27;t start &amp; no sound" in page  # escaped once, shown as written
    assert "&amp;#x27;" not in page


def test_english_emails_write_day_month_and_24_hours(
    customer, helper, django_capture_on_commit_callbacks
):
    helper.preferred_language = "en"
    helper.save()
    start = datetime(2026, 12, 9, 9, 0, tzinfo=ZURICH)
    with django_capture_on_commit_callbacks(execute=True):
        make_request(customer, window_start=start, window_end=start.replace(hour=17))
    assert Notification.objects.filter(user=helper, kind="invitation").exists()

    (email,) = [m for m in mail.outbox if m.to == [helper.email]]
    assert "09.12.2026 09:00" in email.body
    assert "a.m." not in email.body
