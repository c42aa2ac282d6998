"""Customers pay the helper by transfer: reminded at 14 and 28 days, "I have paid", and the
helper's "money received" — on the API and on the booking page."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from quartier.accounts.models import User
from quartier.accounts.services import api_token_create
from quartier.invoicing.collection import payment_reminders_send
from quartier.invoicing.models import Invoice
from quartier.invoicing.services import credit_note_issue, customer_invoice_issue
from quartier.notifications.models import Notification
from quartier.privacy.services import account_erase
from tests.invoicing.helpers import job, payload, payout_profile

pytestmark = pytest.mark.django_db
ISSUED = datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Europe/Zurich"))


def _invoice(method: str = "transfer", market: str = "CH") -> Invoice:
    booking = job(market, language="en")
    payout_profile(booking.helper, "ch_unregistered" if market == "CH" else "de_private")
    with time_machine.travel(ISSUED, tick=False):
        invoice = customer_invoice_issue(
            source_key=f"s{booking.pk}", payload=payload(booking, method=method)
        )
    assert invoice is not None
    return invoice


def _post(user, path: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}"}
    return Client().post(f"/api/v1{path}", headers=headers)


def _reminders(invoice: Invoice) -> list[str]:
    return list(
        Notification.objects.filter(user_id=invoice.customer_id, kind="payment").values_list(
            "title", flat=True
        )
    )


def test_an_open_transfer_is_reminded_at_14_and_28_days_once_each():
    invoice = _invoice()

    assert payment_reminders_send(now=ISSUED + timedelta(days=13, hours=23)) == 0
    assert payment_reminders_send(now=ISSUED + timedelta(days=14)) == 1
    assert payment_reminders_send(now=ISSUED + timedelta(days=20)) == 0
    assert payment_reminders_send(now=ISSUED + timedelta(days=28)) == 1
    assert payment_reminders_send(now=ISSUED + timedelta(days=60)) == 0

    assert _reminders(invoice) == [f"Payment reminder: invoice {invoice.number}"] * 2


def test_a_late_first_run_sends_one_reminder_not_two():
    invoice = _invoice()
    assert payment_reminders_send(now=ISSUED + timedelta(days=30)) == 1
    assert payment_reminders_send(now=ISSUED + timedelta(days=31)) == 0
    assert len(_reminders(invoice)) == 1


@pytest.mark.parametrize("method", ["cash", "partner"])
def test_nothing_is_reminded_when_the_customer_pays_no_transfer(method):
    invoice = _invoice(method=method)
    assert payment_reminders_send(now=ISSUED + timedelta(days=30)) == 0
    response = _post(invoice_customer(invoice), f"/invoices/{invoice.pk}/payment-report")
    assert response.status_code == 409
    assert response.json()["code"] == "nothing_due"


def invoice_customer(invoice: Invoice) -> User:
    return User.objects.get(pk=invoice.customer_id)


def test_i_have_paid_stops_the_reminders_and_asks_the_helper_to_confirm():
    invoice = _invoice()
    customer, helper = invoice_customer(invoice), invoice.helper_id

    reported = _post(customer, f"/invoices/{invoice.pk}/payment-report")

    assert reported.status_code == 200
    assert reported.json()["payment_state"] == "reported"
    assert Notification.objects.filter(user_id=helper, kind="payment").exists()
    assert payment_reminders_send(now=ISSUED + timedelta(days=30)) == 0
    assert _post(customer, f"/invoices/{invoice.pk}/payment-report").status_code == 200  # again
    listed = Client().get(
        f"/api/v1/bookings/{invoice.booking_id}/invoices",
        headers={"Authorization": f"Bearer {api_token_create(user=customer)}"},
    )
    assert listed.json()[0]["payment_state"] == "reported"


def test_the_helpers_confirmation_makes_it_paid_and_a_second_is_refused():
    invoice = _invoice()
    helper = User.objects.get(pk=invoice.helper_id)

    confirmed = _post(helper, f"/invoices/{invoice.pk}/payment-confirmation")
    again = _post(helper, f"/invoices/{invoice.pk}/payment-confirmation")
    by_customer = _post(invoice_customer(invoice), f"/invoices/{invoice.pk}/payment-report")

    assert confirmed.status_code == 200
    assert confirmed.json()["payment_state"] == "paid"
    assert (again.status_code, again.json()["code"]) == (409, "already_paid")
    assert (by_customer.status_code, by_customer.json()["code"]) == (409, "already_paid")
    assert Notification.objects.filter(user_id=invoice.customer_id, kind="payment").exists()
    assert payment_reminders_send(now=ISSUED + timedelta(days=30)) == 0


def test_a_full_refund_leaves_nothing_to_remind():
    invoice = _invoice()
    credit_note_issue(
        source_key="refund", booking_id=int(invoice.booking_id or 0), refund_minor=12000
    )
    assert payment_reminders_send(now=ISSUED + timedelta(days=30)) == 0


def test_an_erased_helpers_invoice_is_never_reminded():
    invoice = _invoice()
    account_erase(user_id=invoice.helper_id)
    assert payment_reminders_send(now=ISSUED + timedelta(days=30)) == 0


def test_the_booking_page_offers_i_have_paid_then_the_helper_confirms_in_german():
    invoice = _invoice()
    customer = invoice_customer(invoice)
    helper = User.objects.get(pk=invoice.helper_id)
    page = f"/bookings/{invoice.booking_id}"
    as_customer, as_helper = Client(), Client()
    as_customer.force_login(customer)
    as_helper.force_login(helper)

    assert "I have paid" in as_customer.get(page).content.decode()
    response = as_customer.post(f"/invoices/{invoice.pk}/paid", follow=True)
    assert "asked the helper to confirm" in response.content.decode()
    german = {"Accept-Language": "de"}
    helper_page = as_helper.get(page, headers=german).content.decode()
    assert "Der Kunde sagt, die Rechnung sei bezahlt" in helper_page
    done = as_helper.post(f"/invoices/{invoice.pk}/paid-confirm", follow=True, headers=german)
    assert "Als bezahlt markiert" in done.content.decode()
    assert 'data-payment="paid"' in as_customer.get(page).content.decode()
