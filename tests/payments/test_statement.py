"""A helper's statement is read from the ledger: per month and year, in local time, with
what is still open carried over, and nothing of another helper's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quartier.events import outbox, record_event
from quartier.money import Money
from quartier.payments.models import LedgerTransaction
from quartier.payments.selectors import helper_statement
from quartier.payments.services import ledger_reverse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates(settings):
    settings.QUARTIER_COMMISSION = {"default": "0.10"}
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = {"CH": "8.1"}


def settle(helper, price: int, when: datetime, currency: str = "CHF"):
    return record_event(
        "job.settled",
        booking_id=price,
        request_id=0,
        helper_id=helper.pk,
        customer_id=0,
        price_minor=price,
        currency=currency,
        settled_at=when,
        market="CH",
        skill="cleaning",
        category="home",
        helper_country="CH",
    )


def chf(minor: int) -> Money:
    return Money(minor, "CHF")


def test_months_years_and_what_stays_open():
    helper, other = UserFactory(is_helper=True), UserFactory(is_helper=True)
    settle(helper, 10000, datetime(2026, 1, 10, 12, tzinfo=UTC))  # 10.00 + 0.81
    # 23:30 UTC on 31 January is 00:30 on 1 February in Zürich: a February job.
    settle(helper, 20000, datetime(2026, 1, 31, 23, 30, tzinfo=UTC))  # 20.00 + 1.62
    settle(helper, 5000, datetime(2026, 2, 14, 12, tzinfo=UTC), currency="EUR")  # 5.00 + 0.41
    settle(other, 99900, datetime(2026, 1, 12, 12, tzinfo=UTC))
    outbox.events_deliver()

    january = helper_statement(helper=helper, year=2026, month=1).totals
    february = helper_statement(helper=helper, year=2026, month=2).totals
    year = helper_statement(helper=helper, year=2026).totals

    assert set(january) == {"CHF"}
    assert (january["CHF"].jobs, january["CHF"].gross, january["CHF"].commission) == (
        1,
        chf(10000),
        chf(1000),
    )
    assert (january["CHF"].vat, january["CHF"].net, january["CHF"].open) == (
        chf(81),
        chf(8919),
        chf(1081),
    )
    # February: one more franc job; what is open carries January's over.
    assert (february["CHF"].jobs, february["CHF"].gross, february["CHF"].open) == (
        1,
        chf(20000),
        chf(1081 + 2162),
    )
    assert february["EUR"].gross == Money(5000, "EUR")
    assert february["EUR"].vat == Money(41, "EUR")
    assert (year["CHF"].jobs, year["CHF"].gross, year["CHF"].commission, year["CHF"].vat) == (
        2,
        chf(30000),
        chf(3000),
        chf(243),
    )
    assert helper_statement(helper=helper, year=2025).totals == {}


def test_a_reversed_job_leaves_the_statement():
    helper = UserFactory(is_helper=True)
    event = settle(helper, 10000, datetime(2026, 3, 3, 12, tzinfo=UTC))
    outbox.events_deliver()
    original = LedgerTransaction.objects.get(event_key=f"event:{event.pk}")

    ledger_reverse(
        original=original,
        event_key=f"reverse:event:{event.pk}",
        booked_at=datetime(2026, 3, 5, tzinfo=UTC),
    )

    march = helper_statement(helper=helper, year=2026, month=3).totals["CHF"]
    assert (march.jobs, march.gross, march.commission, march.vat, march.open) == (
        0,
        chf(0),
        chf(0),
        chf(0),
        chf(0),
    )
