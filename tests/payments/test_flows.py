"""Settled jobs of payload v2 (tips, partner shares, methods) and refunds after disputes are
booked as the ledger's documentation says; a malformed settlement books nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quartier.bookings.disputes import dispute_open, dispute_resolve
from quartier.events import outbox, record_event
from quartier.events.models import HandledEvent
from quartier.payments.models import LedgerEntry, LedgerTransaction
from quartier.payments.selectors import held_minor, ledger_imbalances, ledger_totals
from tests.factories import UserFactory, make_booking, play_visit

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def rates(settings):
    settings.QUARTIER_COMMISSION = {"default": "0.15"}
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = {"CH": "8.1"}


def settled(helper_id: int, booking_id: int = 1, **payload):
    base = {
        "booking_id": booking_id,
        "request_id": 0,
        "helper_id": helper_id,
        "customer_id": 5,
        "price_minor": 10000,
        "currency": "CHF",
        "settled_at": WHEN.isoformat(),
        "market": "CH",
        "skill": "cleaning",
        "category": "home",
        "helper_country": "CH",
    }
    return record_event("job.settled", **(base | payload))


def resolved(booking_id: int, refund_minor: int):
    return record_event(
        "dispute.resolved",
        dispute_id=1,
        booking_id=booking_id,
        request_id=0,
        by_user_id=1,
        resolved_at=WHEN.replace(month=4).isoformat(),
        refund_minor=refund_minor,
    )


def entries(event) -> dict[str, int]:
    booked = LedgerTransaction.objects.get(event_key=f"event:{event.pk}")
    return {e.account.code: e.amount_minor for e in booked.entries.select_related("account")}


def test_a_tip_goes_to_the_memo_and_bears_no_commission():
    event = settled(7, tip_minor=500, method="cash")
    outbox.events_deliver()

    assert entries(event) == {
        "helper:7:receivable:CHF": 1500 + 122,  # 15 % of 100.00, VAT 8.1 % = 1.215 -> 1.22
        "quartier:commission:CHF": -1500,
        "quartier:vat:CH:CHF": -122,
        "memo:jobs-gross:CHF": 10000,
        "helper:7:jobs-gross:CHF": -10000,
        "memo:tips:CHF": 500,
        "helper:7:tips:CHF": -500,
    }
    booked = LedgerTransaction.objects.get(event_key=f"event:{event.pk}")
    assert booked.memo.startswith("Booking #1, cash:")
    assert booked.subject == "booking:1"


def test_a_split_job_books_the_partner_share_owed_to_the_helper():
    event = settled(7, method="transfer", partner_id=3, partner_share_minor=6000)
    outbox.events_deliver()

    got = entries(event)
    assert got["partner:3:receivable:CHF"] == 6000
    assert got["helper:7:payable:CHF"] == -6000
    # The commission stays on what the helper owes; the payout run nets the two.
    assert got["helper:7:receivable:CHF"] == 1622
    assert len(got) == 7


def test_a_job_the_partner_pays_in_full():
    event = settled(7, method="partner", partner_id=3, partner_share_minor=10000)
    outbox.events_deliver()
    assert entries(event)["partner:3:receivable:CHF"] == 10000
    assert entries(event)["helper:7:payable:CHF"] == -10000


def test_an_old_event_without_v2_keys_books_as_a_transfer():
    event = settled(7)
    outbox.events_deliver()
    assert len(entries(event)) == 5
    assert "Booking #1, transfer:" in LedgerTransaction.objects.get().memo


@pytest.mark.parametrize(
    "bad",
    [
        {"method": "bitcoin"},
        {"partner_share_minor": 10001, "partner_id": 3},
        {"partner_share_minor": 500},  # no partner named
        {"method": "partner", "partner_id": 3, "partner_share_minor": 9000},
        {"tip_minor": -1},
        {"tip_minor": "5.00"},
        {"currency": "USD"},
    ],
)
def test_a_malformed_settlement_books_nothing_and_waits(bad):
    event = settled(7, **bad)
    outbox.events_deliver()

    assert not LedgerEntry.objects.exists()
    assert not HandledEvent.objects.filter(event=event, handler="payments.settle").exists()


def test_a_partial_refund_takes_commission_vat_and_partner_share_in_proportion():
    settled(7, booking_id=4, partner_id=3, partner_share_minor=3333, price_minor=10001)
    refund = resolved(4, 2500)
    outbox.events_deliver()

    got = entries(refund)
    # Commission 15 % of 100.01 = 15.0015 -> 15.00, VAT 1.215 -> 1.22; a quarter of each,
    # rounded half up on what is left: 15.00 - round(15.00 * 75.01/100.01) = 3.75, ...
    assert got["quartier:commission:CHF"] == 1500 - (2 * 1500 * 7501 + 10001) // 20002
    assert got["quartier:vat:CH:CHF"] == 122 - (2 * 122 * 7501 + 10001) // 20002
    assert got["helper:7:receivable:CHF"] == -(
        got["quartier:commission:CHF"] + got["quartier:vat:CH:CHF"]
    )
    share = got["helper:7:payable:CHF"]
    assert share == 3333 - (2 * 3333 * 7501 + 10001) // 20002 == 833
    assert got["partner:3:receivable:CHF"] == -share
    assert got["helper:7:jobs-gross:CHF"] == 2500
    assert got["memo:jobs-gross:CHF"] == -2500
    assert ledger_imbalances() == []
    assert LedgerTransaction.objects.get(event_key=f"event:{refund.pk}").subject == "booking:4"


def test_successive_refunds_sum_to_exactly_the_full_parts_and_stop_at_the_price():
    settled(7, booking_id=4, partner_id=3, partner_share_minor=3333, price_minor=9999)
    for refund in (1, 3333, 3333, 5000):  # the last one asks for more than is left
        resolved(4, refund)
    outbox.events_deliver()

    def balance(code: str) -> int:
        return sum(
            LedgerEntry.objects.filter(account__code=code).values_list("amount_minor", flat=True)
        )

    for code in (
        "helper:7:receivable:CHF",
        "helper:7:payable:CHF",
        "partner:3:receivable:CHF",
        "quartier:commission:CHF",
        "helper:7:jobs-gross:CHF",
    ):
        assert balance(code) == 0, code
    refunds = LedgerTransaction.objects.filter(kind="job.refunded").order_by("id")
    assert refunds.count() == 4
    assert "capped" in refunds.last().memo
    assert all(row.balance == 0 for row in ledger_totals())


def test_no_refund_and_refunds_of_unsettled_jobs_book_nothing():
    resolved(9, 0)
    resolved(9, 500)  # never settled in the ledger
    outbox.events_deliver()
    assert not LedgerTransaction.objects.exists()
    assert HandledEvent.objects.filter(handler="payments.refund").count() == 2


def test_the_partner_share_of_a_disputed_job_is_held(customer, helper):
    undisputed = make_booking(customer, helper)
    disputed = make_booking(customer, helper, days=3)
    for booking in (undisputed, disputed):
        play_visit(booking.pk)
    # The bookings' own events are v1 (no partner); partner-paid settlements of them:
    for booking in (undisputed, disputed):
        settled(helper.pk, booking_id=booking.pk, partner_id=3, partner_share_minor=4000)
    outbox.events_deliver()
    assert held_minor(helper.pk, "CHF") == 0

    dispute = dispute_open(
        actor=customer, booking_id=disputed.pk, reason="poor_quality", description="Streaks."
    )
    assert held_minor(helper.pk, "CHF") == 4000
    assert held_minor(helper.pk, "EUR") == 0
    assert held_minor(UserFactory().pk, "CHF") == 0

    dispute_resolve(actor=UserFactory(is_staff=True), dispute_id=dispute.pk, resolution="Ok.")
    assert held_minor(helper.pk, "CHF") == 0


def test_a_refund_after_the_payout_is_owed_back_and_never_leaves_a_side_wrong():
    """The partner paid 100.00 for the job; the payout paid the helper 100.00 less 16.22
    commission and VAT. A half refund then: the 50.00 share already paid out is owed back
    (receivable), the 8.11 commission returned is set off against it — no payable turns
    into a debt and no receivable into a credit."""
    from quartier.payments.balances import account_balance
    from quartier.payments.payouts import payouts_run
    from tests.partners.factories import make_partner
    from tests.payments.money_fixtures import ready_helper

    helper, partner = ready_helper(), make_partner()
    settled(helper.pk, method="partner", partner_id=partner.pk, partner_share_minor=10000)
    outbox.events_deliver()
    run = payouts_run(currency="CHF").run
    assert run is not None
    assert run.total_minor == 10000 - 1622

    resolved(1, 5000)
    outbox.events_deliver()

    payable = account_balance(f"helper:{helper.pk}:payable:CHF")
    receivable = account_balance(f"helper:{helper.pk}:receivable:CHF")
    assert (payable, receivable) == (0, 5000 - 811)
    assert payouts_run(currency="CHF").run is None  # nothing is owed to the helper
