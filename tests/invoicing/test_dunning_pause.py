"""Open commission over the limit pauses a helper's new bookings (not matched, offers not
bookable, told why) and never their payouts; paying by bank releases them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.accounts.holds import hold_of
from quartier.banking.services import bank_file_import
from quartier.bookings.services import offer_accept
from quartier.errors import Conflict
from quartier.invoicing.payment import creditor_reference
from quartier.jobs.coverage import helper_can_serve
from quartier.matching.explain import why_not
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import match_helpers, matchable_helpers
from quartier.matching.services import match_index_refresh
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.commission_pause import commission_pause_refresh, commission_pause_tick
from quartier.payments.payouts import payouts_run
from quartier.payments.services import ledger_post
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.payments.bank_files import Tx, camt
from tests.payments.money_fixtures import partner_share, ready_helper
from tests.payments.test_bank_import import commission_invoice

pytestmark = pytest.mark.django_db


def owe(helper_id: int, amount: int, days_ago: int = 40) -> None:
    ledger_post(
        event_key=f"owed:{helper_id}:{amount}",
        kind="job.settled",
        booked_at=timezone.now() - timedelta(days=days_ago),
        subject=f"booking:{amount}",
        lines=[
            (chart.helper_receivable(helper_id, "CHF"), Money(amount, "CHF")),
            (chart.commission_revenue("CHF"), Money(-amount, "CHF")),
        ],
    )


@pytest.fixture(autouse=True)
def limit(settings):
    settings.QUARTIER_COMMISSION_PAUSE_MINOR = {"CHF": 10000}


def test_a_helper_over_the_limit_is_not_matched_and_told_why():
    helper = make_helper()
    match_index_refresh(helper_id=helper.pk)
    assert MatchIndex.objects.filter(helper_id=helper.pk).exists()
    owe(helper.pk, 9000)
    assert not commission_pause_refresh(helper_id=helper.pk)  # under the limit
    owe(helper.pk, 2000)
    assert commission_pause_tick() == "1 helpers paused for open commission"
    match_index_refresh(helper_id=helper.pk)
    assert not MatchIndex.objects.filter(helper_id=helper.pk).exists()
    assert not matchable_helpers().filter(user_id=helper.pk).exists()
    code, message = hold_of(helper.pk)
    assert code == "commission_owed"
    assert "QR-bill" in message


def test_this_months_uninvoiced_commission_does_not_pause():
    helper = make_helper()
    owe(helper.pk, 50000, days_ago=0)
    assert not commission_pause_refresh(helper_id=helper.pk) or timezone.localdate().day == 1


def test_paying_the_invoice_by_bank_releases_the_pause():
    helper = make_helper()
    owe(helper.pk, 12000)
    assert commission_pause_refresh(helper_id=helper.pk)
    invoice = commission_invoice(helper.pk, total=12000)
    file = camt("camt.054", "PAY-1", [[Tx("120.00", creditor_reference(invoice.number), "X")]])
    assert bank_file_import(actor=None, content=file).booked == 1
    assert hold_of(helper.pk) is None
    assert matchable_helpers().filter(user_id=helper.pk).exists()


def test_a_paused_helpers_earned_payout_still_runs():
    helper = ready_helper()
    at = timezone.now() - timedelta(days=40)
    partner_share(
        partner_id=3, helper_id=helper.pk, booking_id=71, price=50000, commission=5000, at=at
    )
    owe(helper.pk, 1000)
    # The limit is on the debt net of what Quartier owes: a low limit pauses anyway.
    from django.conf import settings

    settings.QUARTIER_COMMISSION_PAUSE_MINOR = {"CHF": -50000}
    assert commission_pause_refresh(helper_id=helper.pk)
    result = payouts_run(currency="CHF")
    assert result.run is not None
    paid = {item.helper_id: item.amount_minor for item in result.run.items.all()}
    assert paid[helper.pk] == 45000 - 1000  # earned shares, less the commission set off


def test_a_paused_helper_cannot_offer_nor_be_booked_and_is_told_why(
    django_capture_on_commit_callbacks,
):
    helper = make_helper()
    customer = make_customer()
    pending = make_offer(helper, make_request(customer))  # made while still free
    owe(helper.pk, 20000)
    with django_capture_on_commit_callbacks(execute=True):  # the match index follows
        assert commission_pause_refresh(helper_id=helper.pk)
    request = make_request(customer, days=3)
    assert helper.pk not in [m.helper_id for m in match_helpers(request)]
    assert not helper_can_serve(helper=helper, request=request)
    assert [r.code for r in why_not(helper=helper, request=request)] == ["commission_owed"]
    with pytest.raises(Conflict) as refused:
        offer_accept(actor=customer, offer_id=pending.pk)
    assert refused.value.code == "helper_on_hold"
