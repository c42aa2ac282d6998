"""Dunning of invoices in the helper's name: reminders in the customer's language with the
invoice PDF (its QR-bill) attached and the account and reference in the text; after the
last one the helper decides — stop reminders, or pursue it outside Quartier."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from quartier.accounts.models import User
from quartier.accounts.services import api_token_create
from quartier.invoicing.collection import payment_reminders_send
from quartier.invoicing.models import CustomerPayment
from quartier.notifications.models import Notification
from tests.invoicing.test_collection import ISSUED, _invoice, invoice_customer

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.mark.parametrize(
    ("language", "subject"), [("en", "Payment reminder"), ("de", "Zahlungserinnerung")]
)
def test_the_reminder_is_in_the_customers_language_with_the_qr_bill(
    language, subject, django_capture_on_commit_callbacks
):
    invoice = _invoice()
    customer = invoice_customer(invoice)
    customer.preferred_language = language
    customer.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        assert payment_reminders_send(now=ISSUED + timedelta(days=14)) == 1
    [message] = [m for m in mail.outbox if m.to == [customer.email]]
    assert message.subject.startswith(subject)
    qr = invoice.snapshot["payment"]["qr"]
    assert qr["reference"] in message.body
    assert qr["account"] in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == f"{invoice.number}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


def test_after_the_last_reminder_the_helper_is_asked_to_decide():
    invoice = _invoice()
    payment_reminders_send(now=ISSUED + timedelta(days=14))
    assert not Notification.objects.filter(user_id=invoice.helper_id, kind="payment").exists()
    payment_reminders_send(now=ISSUED + timedelta(days=28))
    [note] = Notification.objects.filter(user_id=invoice.helper_id, kind="payment")
    assert note.title == f"Nach zwei Erinnerungen noch offen: Rechnung {invoice.number}"  # de


@pytest.mark.parametrize("pursuit", ["stopped", "outside"])
def test_the_helper_stops_the_reminders_or_pursues_it_outside(pursuit):
    invoice = _invoice()
    customer = invoice_customer(invoice)
    helper = User.objects.get(pk=invoice.helper_id)
    assert payment_reminders_send(now=ISSUED + timedelta(days=14)) == 1

    def choose(user: User):  # type: ignore[no-untyped-def]
        return Client().post(
            f"/api/v1/invoices/{invoice.pk}/pursuit",
            {"pursuit": pursuit},
            content_type="application/json",
            headers={"Authorization": f"Bearer {api_token_create(user=user)}"},
        )

    assert choose(customer).status_code == 403  # the helper decides, not the customer
    answer = choose(helper)
    assert answer.status_code == 200, answer.content
    assert answer.json()["payment_state"] == "open"  # still owed, just not reminded
    assert payment_reminders_send(now=ISSUED + timedelta(days=28)) == 0
    assert CustomerPayment.objects.get(invoice=invoice).reminders_sent == 1


def test_the_booking_page_offers_the_helper_the_choice():
    invoice = _invoice()
    helper = User.objects.get(pk=invoice.helper_id)
    client = Client()
    client.force_login(helper)
    page = f"/bookings/{invoice.booking_id}"
    german = {"Accept-Language": "de"}
    assert "Erinnerungen stoppen" in client.get(page, headers=german).content.decode()
    done = client.post(
        f"/invoices/{invoice.pk}/pursuit", {"pursuit": "outside"}, follow=True, headers=german
    )
    assert "Du verfolgst diese Rechnung selbst" in done.content.decode()
    assert 'data-pursuit="outside"' in client.get(page).content.decode()
