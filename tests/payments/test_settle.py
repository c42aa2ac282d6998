"""A settled job is booked once: what the helper owes Quartier in commission and VAT, at the
rate of its market and category, rounded as documented."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from quartier.events import outbox, record_event
from quartier.events.models import DomainEvent, HandledEvent
from quartier.money import Money
from quartier.payments import services
from quartier.payments.commission import commission_rate, job_charge
from quartier.payments.models import LedgerEntry, LedgerTransaction
from quartier.payments.selectors import helper_statement
from tests.factories import make_booking, make_helper, play_visit, sign_off

pytestmark = pytest.mark.django_db

TABLE = {
    "default": "0.15",
    "tutoring": "0.10",
    "CH": {"default": "0.16", "tech-support": "0.14"},
    "DE": {"cleaning": "0.12", "home": "0.13"},
}


@pytest.fixture
def commission(settings):
    settings.QUARTIER_COMMISSION = TABLE
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = {"CH": "8.1"}
    return settings


def entries(booked: LedgerTransaction) -> dict[str, int]:
    return {e.account.code: e.amount_minor for e in booked.entries.select_related("account")}


@pytest.mark.parametrize(
    ("market", "skill", "category", "rate"),
    [
        ("CH", "internet-wlan", "tech-support", "0.14"),  # market + category
        ("CH", "cleaning", "home", "0.16"),  # market default
        ("CH", "tutoring", "lessons", "0.16"),  # the market's default beats a global skill
        ("DE", "cleaning", "home", "0.12"),  # market + skill beats market + category
        ("DE", "gardening", "home", "0.13"),  # market + category
        ("DE", "tutoring", "lessons", "0.10"),  # global skill
        ("DE", "computer", "tech-support", "0.15"),  # global default
        ("AT", "computer", "tech-support", "0.15"),  # a market without rates
    ],
)
def test_the_most_specific_rate_wins(commission, market, skill, category, rate):
    assert commission_rate(market=market, skill=skill, category=category) == Decimal(rate)


def test_without_configuration_the_commission_is_15_percent(settings):
    settings.QUARTIER_COMMISSION = {}
    assert commission_rate(market="CH", skill="cleaning", category="home") == Decimal("0.15")


@pytest.mark.parametrize(
    ("price", "currency", "market", "skill", "country", "commission_minor", "vat_minor"),
    [
        # CH, 16 %: 33.33 * 0.16 = 5.3328 -> 5.33; VAT 8.1 % of 5.33 = 0.43173 -> 0.43.
        (3333, "CHF", "CH", "cleaning", "CH", 533, 43),
        # 0.03 * 0.16 = 0.0048 -> 0.00 (no entry); 2.50 * 0.14 = 0.35 exactly.
        (3, "CHF", "CH", "cleaning", "CH", 0, 0),
        (250, "CHF", "CH", "internet-wlan", "CH", 35, 3),  # 35 * 0.081 = 2.835 -> 3
        (3125, "CHF", "CH", "cleaning", "CH", 500, 41),  # 5.00 * 8.1 % = 0.405 -> 0.41
        # DE, 12 %: 10.05 * 0.12 = 1.206 -> 1.21; a German helper: no VAT (reverse charge).
        (1005, "EUR", "DE", "cleaning", "DE", 121, 0),
        (1004, "EUR", "DE", "cleaning", "DE", 120, 0),  # 1.2048 -> 1.20
        (1025, "EUR", "DE", "tutoring", "DE", 103, 0),  # 10 % of 10.25 = 1.025 -> 1.03
        # A Swiss helper working in the German market pays Swiss VAT on commission.
        (10000, "EUR", "DE", "cleaning", "CH", 1200, 97),  # 12.00 * 8.1 % = 0.972 -> 0.97
    ],
)
def test_commission_and_vat_round_half_up_per_market(
    commission, price, currency, market, skill, country, commission_minor, vat_minor
):
    category = {"cleaning": "home", "internet-wlan": "tech-support", "tutoring": "lessons"}[skill]
    charge = job_charge(
        Money(price, currency),
        market=market,
        skill=skill,
        category=category,
        helper_country=country,
    )

    assert charge.commission == Money(commission_minor, currency)
    assert charge.vat == Money(vat_minor, currency)


def test_no_vat_is_booked_while_quartier_is_not_vat_registered(commission):
    commission.QUARTIER_VAT_REGISTERED = False
    charge = job_charge(
        Money(10000, "CHF"), market="CH", skill="cleaning", category="home", helper_country="CH"
    )
    assert charge.vat == Money(0, "CHF")
    assert charge.commission == Money(1600, "CHF")


@pytest.mark.parametrize(
    "table",
    [{"default": 0.15}, {"default": "1.5"}, {"default": "-0.1"}, {"CH": "0.1"}, {"x": "abc"}],
)
def test_a_malformed_commission_table_is_refused_at_startup(settings, table):
    settings.QUARTIER_COMMISSION = table
    with pytest.raises(ImproperlyConfigured):
        commission_rate(market="CH")
    with pytest.raises(SystemCheckError, match=r"payments\.E001"):
        call_command("check")


def settle(customer, helper, **request_fields):
    booking = make_booking(customer, helper, **request_fields)
    play_visit(booking.pk)
    return booking


def test_a_completed_booking_is_booked_once_from_its_job_settled_event(
    commission, customer, helper
):
    booking = settle(customer, helper)  # a TV box job in Zürich: CH, tech-support, 90.00
    event = DomainEvent.objects.get(kind="job.settled")

    outbox.events_deliver()
    outbox.events_deliver()  # delivered again: nothing new

    booked = LedgerTransaction.objects.get()
    assert booked.event_key == f"event:{event.pk}"
    assert booked.kind == "job.settled"
    assert f"Booking #{booking.pk}" in booked.memo
    # 90.00 * 14 % = 12.60, VAT 8.1 % = 1.0206 -> 1.02.
    assert entries(booked) == {
        f"helper:{helper.pk}:receivable:CHF": 1362,
        "quartier:commission:CHF": -1260,
        "quartier:vat:CH:CHF": -102,
        "memo:jobs-gross:CHF": 9000,
        f"helper:{helper.pk}:jobs-gross:CHF": -9000,
    }
    settled_at = booked.booked_at
    statement = helper_statement(helper=helper, year=settled_at.year, month=settled_at.month)
    totals = statement.totals["CHF"]
    assert (totals.jobs, totals.gross, totals.commission, totals.vat) == (
        1,
        Money(9000, "CHF"),
        Money(1260, "CHF"),
        Money(102, "CHF"),
    )
    assert totals.net == Money(7638, "CHF")
    assert totals.open == Money(1362, "CHF")


def test_a_german_job_takes_its_facts_from_the_request(commission, customer):
    helper = make_helper(
        email="berlin@example.de", postcode="10115", country="DE", skills=["cleaning"]
    )
    settle(customer, helper, skill="cleaning", postcode="10117", country="DE")

    outbox.events_deliver()

    booked = LedgerTransaction.objects.get()
    # 90.00 EUR * 12 % (DE cleaning), no VAT for a German helper.
    assert entries(booked) == {
        f"helper:{helper.pk}:receivable:EUR": 1080,
        "quartier:commission:EUR": -1080,
        "memo:jobs-gross:EUR": 9000,
        f"helper:{helper.pk}:jobs-gross:EUR": -9000,
    }


def job_settled(**payload):
    base = {
        "booking_id": 1,
        "request_id": 0,
        "helper_id": 42,
        "customer_id": 43,
        "price_minor": 10000,
        "currency": "CHF",
        "settled_at": "2026-03-14T10:00:00+00:00",
        "market": "CH",
        "skill": "cleaning",
        "category": "home",
        "helper_country": "CH",
    }
    return record_event("job.settled", **(base | payload))


def test_a_failing_booking_rolls_back_with_the_handled_mark_and_is_retried(commission, monkeypatch):
    event = job_settled()

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_sums_in_database", broken)
    outbox.events_deliver()

    assert not LedgerTransaction.objects.exists()
    assert not LedgerEntry.objects.exists()
    assert not HandledEvent.objects.filter(event=event, handler="payments.settle").exists()

    monkeypatch.undo()
    outbox.events_deliver()

    assert LedgerTransaction.objects.get().event_key == f"event:{event.pk}"
    assert HandledEvent.objects.filter(event=event, handler="payments.settle").count() == 1


def test_a_renamed_handler_that_sees_the_event_again_books_nothing_twice(commission):
    event = job_settled()
    outbox.events_deliver()
    from quartier.payments.handlers import on_job_settled

    on_job_settled(event)  # as a handler under a new name would

    assert LedgerTransaction.objects.count() == 1
    assert LedgerEntry.objects.count() == 5


def test_the_ledger_books_the_job_at_sign_off_not_at_check_out(commission, customer, helper):
    booking = play_visit(make_booking(customer, helper), until="checked_out")
    outbox.events_deliver()
    assert not LedgerTransaction.objects.exists()  # the customer has not signed off yet
    sign_off(booking)
    outbox.events_deliver()
    assert LedgerTransaction.objects.get().kind == "job.settled"
