"""A helper's statement is read from the ledger: per month and year, in local time, with
what is still open carried over, and nothing of another helper's."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from quartier.events import outbox, record_event
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.models import LedgerEntry, LedgerTransaction
from quartier.payments.services import ledger_post, ledger_reverse
from quartier.payments.statements import helper_statement, statement_csv
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


def settle_v2(helper, booking_id: int, when: datetime, **payload):
    base = {
        "booking_id": booking_id,
        "request_id": 0,
        "helper_id": helper.pk,
        "customer_id": 0,
        "price_minor": 10000,
        "currency": "CHF",
        "settled_at": when,
        "market": "CH",
        "skill": "cleaning",
        "category": "home",
        "helper_country": "CH",
    }
    return record_event("job.settled", **(base | payload))


def test_tips_partner_shares_refunds_and_each_bookings_line():
    helper = UserFactory(is_helper=True)
    settle_v2(helper, 1, datetime(2026, 5, 4, 9, tzinfo=UTC), method="cash", tip_minor=700)
    settle_v2(
        helper,
        2,
        datetime(2026, 5, 6, 9, tzinfo=UTC),
        method="partner",
        partner_id=9,
        partner_share_minor=10000,
    )
    record_event(
        "dispute.resolved",
        dispute_id=1,
        booking_id=2,
        request_id=0,
        by_user_id=1,
        resolved_at=datetime(2026, 6, 2, 9, tzinfo=UTC),
        refund_minor=5000,
    )
    outbox.events_deliver()

    may = helper_statement(helper=helper, year=2026, month=5)
    june = helper_statement(helper=helper, year=2026, month=6)
    year = helper_statement(helper=helper, year=2026)

    chf_may = may.totals["CHF"]
    assert (chf_may.jobs, chf_may.gross, chf_may.tips, chf_may.partner_share) == (
        2,
        chf(20000),
        chf(700),
        chf(10000),
    )
    # 10 % commission + 8.1 % VAT on it per job; the tip is the helper's in full.
    assert (chf_may.commission, chf_may.vat) == (chf(2000), chf(162))
    assert chf_may.net == chf(20000 - 2162 + 700)
    # Owed: 2 x 10.81 commission; owing: the partner's 100.00.
    assert chf_may.open == chf(2 * 1081 - 10000)
    assert chf_may.fees == chf(0)
    assert chf_may.paid_out == chf(0)
    assert [(line.booking_id, line.method) for line in may.lines] == [(1, "cash"), (2, "partner")]
    assert may.lines[0].money("net") == chf(10000 - 1081 + 700)

    chf_june = june.totals["CHF"]
    assert (chf_june.jobs, chf_june.gross, chf_june.refunds) == (0, chf(0), chf(5000))
    assert (chf_june.commission, chf_june.vat, chf_june.partner_share) == (
        chf(-500),
        chf(-40),  # VAT 0.81 - 0.405 rounded half up: 0.40 back, 0.41 kept
        chf(-5000),
    )
    assert chf_june.open == chf(2 * 1081 - 10000 - 540 + 5000)
    assert [(line.booking_id, line.method) for line in june.lines] == [(2, "")]

    chf_year = year.totals["CHF"]
    assert chf_year.net == chf(20000 - 5000 - (2000 - 500) - (162 - 40) + 700)
    assert chf_year.open == chf_june.open


def test_the_statements_of_all_helpers_equal_the_ledger():
    """Summed over every helper, the statements give the memo and owed accounts' balances."""
    helpers = [UserFactory(is_helper=True) for _ in range(3)]
    for n, helper in enumerate(helpers * 3):
        settle_v2(
            helper,
            n + 1,
            datetime(2026, 1 + n % 4, 10, 9, tzinfo=UTC),
            tip_minor=n * 37,
            method="transfer" if n % 2 else "cash",
            partner_id=5 if n % 3 else None,
            partner_share_minor=n * 999 if n % 3 else 0,
            price_minor=1234 * (n + 1),
        )
    for booking_id, refund in ((2, 700), (5, 99999), (7, 1)):
        record_event(
            "dispute.resolved",
            dispute_id=booking_id,
            booking_id=booking_id,
            request_id=0,
            by_user_id=1,
            resolved_at=datetime(2026, 5, 1, tzinfo=UTC),
            refund_minor=refund,
        )
    outbox.events_deliver()

    def balance(suffix: str) -> int:
        return sum(
            e.amount_minor
            for e in LedgerEntry.objects.select_related("account")
            if e.account.code.endswith(suffix) and e.account.code.startswith("helper:")
        )

    statements = [helper_statement(helper=h, year=2026).totals["CHF"] for h in helpers]
    assert sum(s.gross.minor - s.refunds.minor for s in statements) == -balance(":jobs-gross:CHF")
    assert sum(s.tips.minor for s in statements) == -balance(":tips:CHF")
    assert sum(s.open.minor for s in statements) == balance(":receivable:CHF") + balance(
        ":payable:CHF"
    )
    commission = sum(
        LedgerEntry.objects.filter(account__kind__in=["commission", "vat"]).values_list(
            "amount_minor", flat=True
        )
    )
    assert sum(s.commission.minor + s.vat.minor for s in statements) == -commission
    lines = [line for h in helpers for line in helper_statement(helper=h, year=2026).lines]
    assert sum(line.amounts.net for line in lines) == sum(s.net.minor for s in statements)
    assert len(lines) == 9


def test_the_csv_has_a_row_per_booking_and_a_total_per_currency():
    helper = UserFactory(is_helper=True)
    settle_v2(helper, 11, datetime(2026, 7, 1, 9, tzinfo=UTC), tip_minor=250, method="cash")
    outbox.events_deliver()

    rows = list(csv.reader(io.StringIO(statement_csv(helper_statement(helper=helper, year=2026)))))

    assert rows[0][:3] == ["Date", "Booking", "Payment"]
    assert rows[1] == [
        "2026-07-01",
        "11",
        "cash",
        "CHF",
        "100.00",
        "2.50",
        "0.00",
        "0.00",
        "10.00",
        "0.81",
        "91.69",
    ]
    assert rows[2][0] == "Total"
    assert rows[2][-1] == "91.69"


def test_a_payout_shows_as_paid_out_and_its_netting_does_not():
    """As the payout step books them (package docstring): netting, then the run."""
    helper = UserFactory(is_helper=True)
    settle_v2(
        helper,
        1,
        datetime(2026, 4, 2, 9, tzinfo=UTC),
        method="partner",
        partner_id=9,
        partner_share_minor=10000,
    )
    outbox.events_deliver()
    owed = chf(1081)  # 10 % commission + 8.1 % VAT
    when = datetime(2026, 5, 5, 9, tzinfo=UTC)
    ledger_post(
        event_key="payout:7:netting",
        kind="payout.netting",
        booked_at=when,
        subject="payout:7",
        lines=[
            (chart.helper_payable(helper.pk, "CHF"), owed),
            (chart.helper_receivable(helper.pk, "CHF"), -owed),
        ],
    )
    ledger_post(
        event_key="payout:7:run",
        kind="payout.run",
        booked_at=when,
        subject="payout:7",
        lines=[
            (chart.helper_payable(helper.pk, "CHF"), chf(10000) - owed),
            (chart.payouts_in_transit("CHF"), owed - chf(10000)),
        ],
    )

    april = helper_statement(helper=helper, year=2026, month=4).totals["CHF"]
    may = helper_statement(helper=helper, year=2026, month=5).totals["CHF"]

    assert (april.open, april.paid_out, april.partner_share) == (
        chf(1081 - 10000),
        chf(0),
        chf(10000),
    )
    assert (may.paid_out, may.open, may.partner_share, may.gross) == (
        chf(10000 - 1081),
        chf(0),
        chf(0),
        chf(0),
    )
    assert helper_statement(helper=helper, year=2026, month=5).lines == []
