"""Cancellation terms: free until 24 hours before the start, then a fee the customer owes
the helper, booked in the ledger less Quartier's commission; a German consumer's
cancellation within 14 days of booking from a trader is a withdrawal and always free — not
so from a private helper."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.services import booking_cancel, offer_accept
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.payments import chart
from quartier.payments.balances import account_balance
from quartier.payments.cancellation_fees import CANCELLATION_FEE
from quartier.payments.models import LedgerTransaction
from quartier.web.provider import trader_of
from tests.factories import make_booking, make_customer, make_helper, make_offer, make_request
from tests.invoicing.helpers import payout_profile

pytestmark = pytest.mark.django_db


def _cancel_and_book(booking, actor):
    booking_cancel(actor=actor, booking_id=booking.pk, reason="Plans changed")
    events_deliver()
    return DomainEvent.objects.get(kind="booking.cancelled").payload


def _fee_transactions(booking):
    return LedgerTransaction.objects.filter(subject=f"booking:{booking.pk}", kind=CANCELLATION_FEE)


def test_checkout_shows_the_market_terms_with_this_offers_fee(api_as, customer, helper):
    offer = make_offer(helper, make_request(customer), price=12345)
    terms = api_as(customer).get(f"/offers/{offer.pk}/checkout").data["cancellation"]
    assert terms == {
        "free_hours": 24,
        "fee_percent": 50,
        "fee_minor": 6173,  # half of 123.45, rounded half up
        "withdrawal_days": 0,
        "dispute_days": 14,
        "visit_fee_minor": 0,  # the default terms charge no visit fee
    }


def test_a_german_checkout_names_the_withdrawal_period(api_as):
    customer, helper = _german_pair()
    payout_profile(helper, "de_small")  # a trader (Kleinunternehmer)
    offer = make_offer(helper, make_request(customer, country="DE", postcode="10117"))
    terms = api_as(customer).get(f"/offers/{offer.pk}/checkout").data["cancellation"]
    assert terms["withdrawal_days"] == 14
    assert terms["fee_minor"] == 4500


def test_a_late_cancellation_books_the_fee_less_commission(customer, helper):
    booking = make_booking(customer, helper, days=0.3)  # starts in less than 24 hours
    payload = _cancel_and_book(booking, customer)

    assert payload["fee_minor"] == 4500
    assert payload["currency"] == "CHF"
    assert payload["withdrawal"] is False
    assert payload["redispatched"] is False
    (txn,) = _fee_transactions(booking)
    assert account_balance(chart.helper_jobs_gross(helper.pk, "CHF").code) == -4500
    # Quartier's 15 % commission on the fee is what the helper owes; the rest is theirs.
    assert account_balance(chart.helper_receivable(helper.pk, "CHF").code) == 675
    assert account_balance(chart.commission_revenue("CHF").code) == -675
    assert sum(entry.amount_minor for entry in txn.entries.all()) == 0


def test_a_late_cancellation_is_booked_once_however_often_delivered(customer, helper):
    booking = make_booking(customer, helper, days=0.3)
    _cancel_and_book(booking, customer)
    events_deliver()
    assert _fee_transactions(booking).count() == 1


def test_an_early_cancellation_is_free_and_books_nothing(customer, helper):
    booking = make_booking(customer, helper, days=2)
    payload = _cancel_and_book(booking, customer)
    assert payload["fee_minor"] == 0
    assert not LedgerTransaction.objects.filter(subject=f"booking:{booking.pk}").exists()


def test_the_helpers_late_cancellation_costs_the_customer_nothing(customer, helper):
    booking = make_booking(customer, helper, days=0.3)
    payload = _cancel_and_book(booking, helper)
    assert payload["fee_minor"] == 0
    assert payload["redispatched"] is True
    assert not _fee_transactions(booking).exists()


def _german_pair():
    helper = make_helper(email="h@example.de", country="DE", postcode="10115")
    customer = make_customer(email="k@example.de", preferred_language="de")
    return customer, helper


def _trader_booking(customer, helper, **request_fields):
    payout_profile(helper, "de_small")
    offer = make_offer(helper, make_request(customer, **request_fields))
    return offer_accept(actor=customer, offer_id=offer.pk, trader=trader_of(helper))


def test_a_german_consumer_cancelling_within_14_days_withdraws_free_of_charge():
    customer, helper = _german_pair()
    booking = _trader_booking(customer, helper, days=0.3, country="DE", postcode="10117")
    payload = _cancel_and_book(booking, customer)
    assert payload["withdrawal"] is True
    assert payload["fee_minor"] == 0
    assert not _fee_transactions(booking).exists()


def test_a_private_helpers_german_customer_pays_the_late_cancellation_fee():
    customer, helper = _german_pair()  # no trader: consumer rules do not apply
    booking = make_booking(customer, helper, days=0.3, country="DE", postcode="10117")
    payload = _cancel_and_book(booking, customer)
    assert payload["withdrawal"] is False
    assert payload["fee_minor"] == 4500
    assert _fee_transactions(booking).count() == 1


def test_after_14_days_a_german_consumers_late_cancellation_costs_the_fee():
    customer, helper = _german_pair()
    booking = make_booking(customer, helper, days=15, country="DE", postcode="10117")
    later = booking.starts_at - timedelta(hours=2)
    assert later - timezone.now() > timedelta(days=14)
    with time_machine.travel(later, tick=False):
        payload = _cancel_and_book(booking, customer)
    assert payload["withdrawal"] is False
    assert payload["fee_minor"] == 4500
    assert payload["currency"] == "EUR"
    assert account_balance(chart.helper_jobs_gross(helper.pk, "EUR").code) == -4500
