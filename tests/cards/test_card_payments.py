"""A card or TWINT payment through the provider's stand-in: charged at settlement on the
helper's connected account with the commission as the application fee; refunds and
chargebacks mirrored in the ledger, which stays balanced and equal to the provider's view."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from quartier.bookings.disputes import dispute_open, dispute_resolve
from quartier.cards import ledger
from quartier.cards.models import CardChoice, ChargeState, ConnectedAccount, ProviderCharge
from quartier.cards.services import card_setup_start, offer_accept_by_provider
from quartier.errors import InvalidInput
from quartier.events import outbox
from quartier.invoicing.models import Invoice
from quartier.payments.balances import account_balance
from quartier.payments.chart import helper_receivable
from quartier.payments.models import LedgerEntry
from tests.factories import make_customer, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db


def ledger_balanced() -> bool:
    """What `quartier ledger check` says (it raises when the books are off)."""
    call_command("ledger", "check", stdout=io.StringIO(), stderr=io.StringIO())
    per_currency = LedgerEntry.objects.values("currency").annotate(total=Sum("amount_minor"))
    return all(row["total"] == 0 for row in per_currency)


def assert_ledger_equals_provider(provider, helper) -> None:
    """The ledger balances, and mirrors the provider's two balances: the helper's connected
    account and Quartier's own (its application fees)."""
    account = ConnectedAccount.objects.get(helper=helper).account_ref
    assert ledger_balanced()
    assert ledger.held_at_provider(helper.pk, "CHF") == provider.account_balance(account, "CHF")
    assert account_balance(ledger.provider_balance("CHF").code) == provider.platform_balance("CHF")


def book_by_card(provider, deliver, helper, kind="card", card="visa"):
    customer = make_customer(email="anna@example.com")
    offer = make_offer(helper, make_request(customer))
    booking = offer_accept_by_provider(actor=customer, offer_id=offer.pk, kind=kind)
    if kind == "card":
        url = card_setup_start(
            actor=customer, booking_id=booking.pk, success_url="http://t/s", cancel_url="http://t/c"
        )
        assert url.startswith(provider.url)
        assert deliver(provider.complete_setup(booking.pk, card=card)).status_code == 200
    return customer, booking


def settle(booking):
    play_visit(booking.pk)
    outbox.events_deliver()
    return ProviderCharge.objects.get(booking=booking)


def test_a_card_is_saved_at_checkout_and_charged_only_when_the_job_is_settled(
    provider, deliver, connected_helper
):
    _, booking = book_by_card(provider, deliver, connected_helper)
    choice = CardChoice.objects.get(booking=booking)
    assert choice.payment_method_ref.startswith("pm_")
    assert not ProviderCharge.objects.exists()
    assert not any(path.endswith("payment_intents") for _, path, _ in provider.requests)

    charge = settle(booking)

    assert charge.state == ChargeState.SUCCEEDED
    assert charge.amount_minor == booking.price_minor == 9000
    # The commission (+ VAT) the helper owes is the provider's application fee: it is paid.
    assert charge.fee_minor > 0
    assert account_balance(helper_receivable(connected_helper.pk, "CHF").code) == 0
    assert provider.platform_balance("CHF") == charge.fee_minor
    assert_ledger_equals_provider(provider, connected_helper)
    # The invoice in the helper's name asks for no transfer: the card paid it.
    payment = Invoice.objects.get(booking_id=booking.pk, kind="customer_invoice").snapshot[
        "payment"
    ]
    assert (payment["method"], payment["due_minor"], payment["qr"]) == ("card", 0, None)


def test_a_refund_goes_back_through_the_provider_and_the_ledger_follows(
    provider, deliver, connected_helper
):
    operator = make_customer(email="op@example.com", is_staff=True)
    customer, booking = book_by_card(provider, deliver, connected_helper)
    charge = settle(booking)
    dispute = dispute_open(
        actor=customer, booking_id=booking.pk, reason="poor_quality", description="Still no TV."
    )
    dispute_resolve(
        actor=operator, dispute_id=dispute.pk, resolution="Half back.", refund_minor=4500
    )
    outbox.events_deliver()
    outbox.events_deliver()  # delivered again: refunded once

    charge.refresh_from_db()
    assert charge.refunded_minor == 4500
    assert charge.fee_refunded_minor == charge.fee_minor // 2
    assert sum(1 for m, p, _ in provider.requests if p == "/v1/refunds") == 1
    assert_ledger_equals_provider(provider, connected_helper)
    # The helper neither owes nor is owed anything for the job.
    assert account_balance(helper_receivable(connected_helper.pk, "CHF").code) == 0


@pytest.mark.parametrize("outcome", ["lost", "won"])
def test_a_chargeback_is_mirrored_until_the_provider_decides_it(
    provider, deliver, connected_helper, outcome
):
    _, booking = book_by_card(provider, deliver, connected_helper)
    charge = settle(booking)
    opened = provider.dispute(charge.intent_ref)
    assert deliver(opened).status_code == 200
    # The whole charge is withdrawn from the helper's account (the fee stays Quartier's).
    assert ledger.held_at_provider(connected_helper.pk, "CHF") == -charge.fee_minor
    assert_ledger_equals_provider(provider, connected_helper)

    dispute_id = opened["payload"].split('"id": "')[2].split('"')[0]
    assert deliver(provider.close_dispute(dispute_id, outcome)).status_code == 200

    held = ledger.held_at_provider(connected_helper.pk, "CHF")
    assert held == (-charge.fee_minor if outcome == "lost" else 9000 - charge.fee_minor)
    assert_ledger_equals_provider(provider, connected_helper)


def test_a_declined_card_books_nothing_and_says_why(provider, deliver, connected_helper):
    _, booking = book_by_card(provider, deliver, connected_helper, card="declines")
    charge = settle(booking)
    assert charge.state == ChargeState.FAILED
    assert "declined" in charge.failure
    assert_ledger_equals_provider(provider, connected_helper)
    assert provider.platform_balance("CHF") == 0


def test_twint_is_charged_at_settlement_and_booked_when_the_customer_pays(
    provider, deliver, connected_helper
):
    _, booking = book_by_card(provider, deliver, connected_helper, kind="twint")
    charge = settle(booking)
    assert charge.state == ChargeState.PENDING
    assert charge.pay_url.startswith(provider.url)
    assert ledger.held_at_provider(connected_helper.pk, "CHF") == 0

    assert deliver(provider.pay_twint(charge.intent_ref)).status_code == 200

    charge.refresh_from_db()
    assert charge.state == ChargeState.SUCCEEDED
    assert ledger.held_at_provider(connected_helper.pk, "CHF") == 9000 - charge.fee_minor
    assert_ledger_equals_provider(provider, connected_helper)


def test_twint_is_offered_only_in_chf_up_to_5000(provider, deliver, connected_helper):
    customer = make_customer(email="anna@example.com")
    offer = make_offer(connected_helper, make_request(customer), price=5000_01)
    with pytest.raises(InvalidInput) as refused:
        offer_accept_by_provider(actor=customer, offer_id=offer.pk, kind="twint")
    assert refused.value.errors == {"payment_method": [refused.value.errors["payment_method"][0]]}
    assert not CardChoice.objects.exists()


def test_without_a_ready_account_there_is_no_card_option(provider, deliver):
    from quartier.cards.selectors import offer_provider_kinds
    from tests.factories import make_helper

    helper = make_helper(email="hans@example.com", postcode="8003")
    offer = make_offer(helper, make_request(make_customer(email="anna@example.com")))
    assert offer_provider_kinds(offer) == []


def test_a_card_paid_german_household_job_gets_no_35a_block():
    from quartier.invoicing.rules import block_35a

    flags = ["household"]
    assert (
        block_35a(vat_status="de_private", skill_flags=flags, method="card", customer_share_minor=1)
        == "none"
    )
    assert (
        block_35a(
            vat_status="de_private", skill_flags=flags, method="transfer", customer_share_minor=1
        )
        == "block"
    )


def test_an_unreachable_provider_leaves_the_charge_for_a_later_run(
    provider, deliver, connected_helper, settings
):
    from quartier.events.models import HandledEvent

    _, booking = book_by_card(provider, deliver, connected_helper)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    play_visit(booking.pk)
    outbox.events_deliver()
    assert not ProviderCharge.objects.exists()
    assert not HandledEvent.objects.filter(handler="cards.charge").exists()

    settings.STRIPE_API_BASE = provider.url
    outbox.events_deliver()

    assert ProviderCharge.objects.get(booking=booking).state == ChargeState.SUCCEEDED
    assert sum(1 for _, path, _ in provider.requests if path == "/v1/payment_intents") == 1
    assert_ledger_equals_provider(provider, connected_helper)
