"""One mail path: every e-mail goes through notifications, rendered in the recipient's
language, with links built there from route names (domain modules never name web routes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

import quartier
from quartier.events import record_event
from quartier.events.outbox import events_deliver
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.models import Notification
from quartier.notifications.services import notify_address
from tests.factories import make_request

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

SOURCE = Path(quartier.__file__).parent
#: Sending mail or naming a web route: only notifications and the web layer may.
FORBIDDEN = re.compile(
    r"\bsend_mail\(|\bsend_mass_mail\(|\bEmailMessage\(|\bEmailMultiAlternatives\("
    r"|reverse\(\s*\"web:"
)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def test_no_module_outside_notifications_and_web_sends_mail_or_names_a_web_route():
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if relative.parts[0] in ("notifications", "web"):
            continue
        text = path.read_text(encoding="utf-8")
        for match in FORBIDDEN.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{relative}:{line}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_an_address_gets_its_mail_after_commit_in_its_language_without_an_inbox_row(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_address(
            email="tech@swisstel.example",
            language="de",
            kind=AddressKind.WEBHOOK_DISABLED,
            context={
                "partner": "SwissTel",
                "endpoint_url": "https://hooks.swisstel.example/q",
                "hours": "72",
                "failed": 2,
            },
        )
        assert mail.outbox == []  # not before the commit

    (message,) = mail.outbox
    assert message.to == ["tech@swisstel.example"]
    assert message.subject == "Quartier: Webhook-Endpunkt deaktiviert"
    assert "https://hooks.swisstel.example/q" in message.body
    assert "seit 72 Stunden" in message.body
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_change_mails_no_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify_address(
            email="tech@swisstel.example",
            language="en",
            kind=AddressKind.CASE_ESCALATED,
            context={"reference": "T-9", "service": "WLAN", "reason": "SLA", "note": ""},
        )
        transaction.set_rollback(True)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_link_is_built_from_the_page_and_absolute_in_the_mail(
    settings, customer, django_capture_on_commit_callbacks
):
    settings.QUARTIER_SITE_URL = "https://quartier.example/"
    job = make_request(customer)
    with django_capture_on_commit_callbacks(execute=True):
        notify_address(
            email=customer.email,
            language="en",
            kind=AddressKind.ACCOUNT_CLAIM,
            context={"name": "Anna", "partner": "SwissTel", "service": "WLAN"},
            link=Link(Page.REQUEST, (job.pk,)),
        )
    (message,) = mail.outbox
    assert f"https://quartier.example/requests/{job.pk}" in message.body


@pytest.mark.django_db
def test_nobody_offered_reaches_the_customer_in_english_in_the_inbox_and_by_email(
    customer, django_capture_on_commit_callbacks
):
    customer.preferred_language = "en"
    customer.save()
    job = make_request(customer)
    record_event("dispatch.exhausted", request_id=job.pk, dispatch_id=0, customer_id=customer.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert events_deliver() == 1
        assert events_deliver() == 0  # once

    (message,) = [m for m in mail.outbox if m.to == [customer.email]]
    assert message.subject == "No helper found for your request"
    assert f'no helper has offered to do "{job.title}"' in message.body
    assert f"/requests/{job.pk}" in message.body
    (notification,) = Notification.objects.filter(user=customer, kind="no_helper")
    assert notification.title == message.subject
