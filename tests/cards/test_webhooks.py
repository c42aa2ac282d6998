"""The provider's webhook: a bad signature gets 400 and changes nothing; an event id is
handled once, also when the same event arrives twice at once."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from quartier.cards.models import CardChoice, ConnectedAccount, ProviderEvent
from quartier.payments.models import LedgerTransaction
from tests.cards.conftest import SECRET
from tests.races import race

pytestmark = pytest.mark.django_db


def account_event(provider, helper):
    account = ConnectedAccount.objects.get(helper=helper)
    ConnectedAccount.objects.filter(pk=account.pk).update(charges_enabled=False)
    return provider.enable_charges(account.account_ref)


@pytest.mark.parametrize("forgery", ["wrong_secret", "tampered", "missing", "stale"])
def test_a_bad_signature_gets_400_and_changes_nothing(provider, deliver, connected_helper, forgery):
    signed = account_event(provider, connected_helper)
    events_before = ProviderEvent.objects.count()
    if forgery == "wrong_secret":
        signed = provider.signed(signed["payload"], secret="whsec_someone_else")
    elif forgery == "tampered":
        signed = signed | {
            "payload": signed["payload"].replace('"livemode": false', '"livemode": true')
        }
    elif forgery == "missing":
        signed = signed | {"signature": ""}
    else:  # signed correctly, but 10 minutes ago: outside the SDK's tolerance
        import stripe

        payload = signed["payload"]
        header = stripe.WebhookSignature.generate_signature_header(
            payload, SECRET, timestamp=int(json.loads(payload)["created"]) - 600
        )
        signed = {"payload": payload, "signature": header}

    answer = deliver(signed)

    assert answer.status_code == 400
    assert ProviderEvent.objects.count() == events_before
    assert not ConnectedAccount.objects.get(helper=connected_helper).charges_enabled


def test_a_replayed_event_id_is_a_no_op(provider, deliver, connected_helper):
    from tests.cards.test_card_payments import book_by_card, settle

    _, booking = book_by_card(provider, deliver, connected_helper)
    charge = settle(booking)
    opened = provider.dispute(charge.intent_ref)
    assert deliver(opened).content == b"ok"
    booked = LedgerTransaction.objects.count()

    again = deliver(opened)

    assert (again.status_code, again.content) == (200, b"replayed")
    assert LedgerTransaction.objects.count() == booked
    assert ProviderEvent.objects.filter(type="charge.dispute.created").count() == 1


def test_without_the_provider_configured_the_webhook_is_not_there(settings):
    settings.STRIPE_API_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    answer = Client().post("/webhooks/stripe/", data="{}", content_type="application/json")
    assert answer.status_code == 404


def test_a_card_saved_event_for_another_account_saves_nothing(provider, deliver, connected_helper):
    from tests.cards.test_card_payments import book_by_card

    _, booking = book_by_card(provider, deliver, connected_helper)
    CardChoice.objects.filter(booking=booking).update(payment_method_ref="")
    intent = {"id": "seti_x", "object": "setup_intent", "payment_method": "pm_evil"}
    intent["metadata"] = {"booking_id": str(booking.pk)}
    assert (
        deliver(provider.event("setup_intent.succeeded", intent, "acct_other")).status_code == 200
    )
    assert CardChoice.objects.get(booking=booking).payment_method_ref == ""


@pytest.mark.usefixtures("committing_db")
def test_the_same_event_delivered_twice_at_once_is_handled_once(provider, connected_helper):
    signed = account_event(provider, connected_helper)

    def post():
        return Client().post(
            "/webhooks/stripe/",
            data=signed["payload"],
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signed["signature"],
        )

    answers = race(post, post)

    assert sorted(a.content for a in answers) == [b"ok", b"replayed"], answers
    assert ProviderEvent.objects.filter(event_id=json.loads(signed["payload"])["id"]).count() == 1
    assert ConnectedAccount.objects.get(helper=connected_helper).charges_enabled
