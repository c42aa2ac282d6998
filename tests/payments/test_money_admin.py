"""The operators' money pages: the trial balance sums to zero per currency, the settlement
account's age is first in first out, a booking's transactions are listed by subject; staff
only, and nothing on them writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from quartier.events import outbox, record_event
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.models import LedgerEntry
from quartier.payments.selectors import SettlementAge, settlement_age, trial_balance
from quartier.payments.services import ledger_post
from tests.factories import make_customer

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


@pytest.fixture
def operator_client() -> Client:
    client = Client()
    client.force_login(make_customer(email="op@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def booked(settings):
    settings.QUARTIER_COMMISSION = {"default": "0.10"}
    settings.QUARTIER_VAT_REGISTERED = False
    for booking_id, currency in ((41, "CHF"), (42, "EUR")):
        record_event(
            "job.settled",
            booking_id=booking_id,
            request_id=0,
            helper_id=7,
            customer_id=0,
            price_minor=10000,
            currency=currency,
            settled_at="2026-06-01T10:00:00+00:00",
            market="CH",
            skill="cleaning",
            category="home",
            helper_country="CH",
            method="partner",
            partner_id=3,
            partner_share_minor=10000,
        )
    outbox.events_deliver()


def paid_in(key: str, minor: int, when: datetime) -> None:
    """A partner pays (settlement +) or a payout file is executed (settlement -)."""
    other = chart.partner_receivable(3, "CHF") if minor > 0 else chart.payouts_in_transit("CHF")
    ledger_post(
        event_key=key,
        kind="test",
        booked_at=when,
        lines=[(chart.settlement("CHF"), Money(minor, "CHF")), (other, Money(-minor, "CHF"))],
    )


def test_the_trial_balance_sums_to_zero_per_currency(booked):
    balances = trial_balance()
    assert set(balances) == {"CHF", "EUR"}
    for accounts in balances.values():
        assert sum(a.balance for a in accounts) == 0
    chf = {a.code: a.balance for a in balances["CHF"]}
    assert chf["partner:3:receivable:CHF"] == 10000
    assert chf["helper:7:payable:CHF"] == -10000


def test_the_settlement_account_pays_out_the_oldest_money_first(db):
    assert settlement_age("CHF", now=NOW).days == 0
    paid_in("in:1", 5000, NOW - timedelta(days=70))
    paid_in("in:2", 3000, NOW - timedelta(days=20))
    assert settlement_age("CHF", now=NOW).days == 70

    paid_in("out:1", -4000, NOW - timedelta(days=5))  # the oldest 50.00 are not all out
    age = settlement_age("CHF", now=NOW)
    assert (age.held_minor, age.days) == (4000, 70)

    paid_in("out:2", -1000, NOW - timedelta(days=1))
    age = settlement_age("CHF", now=NOW)
    assert (age.held_minor, age.oldest_at, age.days) == (3000, NOW - timedelta(days=20), 20)

    paid_in("out:3", -3000, NOW)
    assert settlement_age("CHF", now=NOW) == SettlementAge("CHF", 0, None, 0)


def test_operators_read_the_trial_balance_and_a_bookings_transactions(operator_client, booked):
    paid_in("in:1", 5000, datetime(2026, 1, 1, tzinfo=UTC))
    before = LedgerEntry.objects.count()

    index = operator_client.get("/admin/").content.decode()
    assert "/admin/payments/ledgeraccount/trial-balance/" in index
    page = operator_client.get("/admin/payments/ledgeraccount/trial-balance/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "partner:3:receivable:CHF" in html
    assert "balanced" in html
    assert "(over 60)" in html  # 50.00 of a partner waiting since January

    subjects = operator_client.get("/admin/payments/ledgeraccount/subjects/?prefix=booking:")
    assert "booking:41" in subjects.content.decode()
    one = operator_client.get("/admin/payments/ledgeraccount/subjects/booking:41/")
    html = one.content.decode()
    assert "job.settled" in html
    assert "Booking #41, partner:" in html
    assert "helper:7:payable:CHF" in html
    assert "EUR" not in html.split("<h2>", 1)[1]
    assert LedgerEntry.objects.count() == before


def test_the_money_pages_are_for_staff_only(booked):
    client = Client()
    for url in ("trial-balance/", "subjects/", "subjects/booking:41/"):
        response = client.get(f"/admin/payments/ledgeraccount/{url}")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    client.force_login(make_customer(email="c@example.com"))
    assert client.get("/admin/payments/ledgeraccount/trial-balance/").status_code == 302
