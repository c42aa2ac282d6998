"""Checkout: the customer sees the lines, the provider and the terms, chooses transfer or
cash and a tip, books, and gets a confirmation; the tip and method may change until the
job is completed; the helper may record cash; completion settles all of it (v2 payload)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from quartier.bookings.models import Booking
from quartier.bookings.services import booking_complete
from quartier.events.models import DomainEvent
from quartier.payments.models import PayoutProfile
from tests.api_checks import assert_problem, snapshot
from tests.factories import make_customer, make_helper, make_offer, make_request, play_visit

pytestmark = pytest.mark.django_db


def lined_offer(api_as: Any, helper: Any, request: Any) -> dict[str, Any]:
    start = request.window_start + timedelta(hours=1)
    lines = [
        {"kind": "labour", "label": "Install", "quantity": "2", "unit_minor": 4500},
        {"kind": "material", "label": "Cable", "unit_minor": 1000},
    ]
    made = api_as(helper).post(
        f"/requests/{request.pk}/offers",
        {
            "proposed_start": start.isoformat(),
            "proposed_end": (start + timedelta(hours=2)).isoformat(),
            "lines": lines,
        },
    )
    assert made.status_code == 201, made.data
    return made.data


def test_the_checkout_summary_shows_lines_provider_terms_and_methods(api_as, customer, helper):
    offer = lined_offer(api_as, helper, make_request(customer))
    summary = api_as(customer).get(f"/offers/{offer['id']}/checkout")
    assert summary.status_code == 200, summary.data
    data = summary.data
    assert [line["label"] for line in data["offer"]["lines"]] == ["Install", "Cable"]
    assert data["price_minor"] == data["customer_share_minor"] == 10000
    assert data["partner_share_minor"] == 0
    assert data["provider_kind"] == "private"
    assert data["market"] == "CH"
    assert data["consumer_notice"] == ""  # no withdrawal notice in Switzerland
    assert data["methods"] == ["transfer", "cash"]
    assert data["cancellation"] == {
        "free_hours": 24,
        "fee_percent": 50,
        "fee_minor": 5000,
        "withdrawal_days": 0,
        "dispute_days": 14,
        "visit_fee_minor": 0,
    }


def test_a_business_provider_in_germany_is_named_a_trader(api_as):
    berlin_helper = make_helper(email="b@example.com", country="DE", postcode="10115")
    PayoutProfile.objects.create(user=berlin_helper, provider_kind="business")
    customer = make_customer(email="c@example.com", preferred_language="de")
    offer = make_offer(berlin_helper, make_request(customer, country="DE", postcode="10117"))
    data = api_as(customer).get(f"/offers/{offer.pk}/checkout").data
    assert data["provider_kind"] == "business"
    assert data["market"] == "DE"
    assert "trader" in data["consumer_notice"]
    assert "withdrawal" in data["consumer_notice"]


def test_a_private_provider_in_germany_is_said_to_carry_no_consumer_rights(api_as):
    berlin_helper = make_helper(email="b@example.com", country="DE", postcode="10115")
    customer = make_customer(email="c@example.com")
    offer = make_offer(berlin_helper, make_request(customer, country="DE", postcode="10117"))
    data = api_as(customer).get(f"/offers/{offer.pk}/checkout").data
    assert data["provider_kind"] == "private"
    assert "Privatperson" in data["consumer_notice"]
    assert "do not apply" in data["consumer_notice"]


def test_only_the_customer_sees_the_checkout(api_as, anon, customer, helper):
    offer = make_offer(helper, make_request(customer))
    stranger = make_customer(email="s@example.com")
    assert anon.get(f"/offers/{offer.pk}/checkout").status_code == 401
    assert_problem(api_as(helper).get(f"/offers/{offer.pk}/checkout"), 403, code="not_your_request")
    assert api_as(stranger).get(f"/offers/{offer.pk}/checkout").status_code == 404


def test_booking_at_checkout_records_method_and_tip_and_confirms_by_email(
    api_as, customer, helper, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    offer = lined_offer(api_as, helper, make_request(customer))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booked = api_as(customer).post(
            f"/offers/{offer['id']}/accept", {"payment_method": "cash", "tip_minor": 500}
        )
    assert booked.status_code == 201, booked.data
    assert booked.data["payment_method"] == "cash"
    assert booked.data["tip_minor"] == 500
    assert booked.data["customer_pays_minor"] == 10500
    to_customer = [m for m in mail.outbox if m.to == [customer.email]]
    assert len(to_customer) == 1
    body = to_customer[0].body
    assert "Install" in body
    assert "Cable" in body
    assert "Install: 2 \u00d7 45,00\xa0CHF = 90,00\xa0CHF" in body
    assert "in bar" in body  # the customer's language: German
    assert "kostenlos stornieren" in body


def test_accepting_without_a_choice_books_bank_transfer_and_no_tip(api_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    booked = api_as(customer).post(f"/offers/{offer.pk}/accept")
    assert booked.status_code == 201
    assert (booked.data["payment_method"], booked.data["tip_minor"]) == ("transfer", 0)


@pytest.mark.parametrize(
    ("choice", "field"),
    [
        pytest.param({"payment_method": "partner"}, "payment_method", id="partner-not-chosen"),
        pytest.param({"payment_method": "bitcoin"}, "payment_method", id="unknown-method"),
        pytest.param({"tip_minor": -1}, "tip_minor", id="negative-tip"),
        pytest.param({"tip_minor": 9001}, "tip_minor", id="tip-above-price"),
    ],
)
def test_a_bad_checkout_choice_books_nothing(api_as, customer, helper, choice, field):
    offer = make_offer(helper, make_request(customer))  # 9000
    client = api_as(customer)
    before = snapshot()
    assert_problem(client.post(f"/offers/{offer.pk}/accept", choice), 422, field=field)
    assert snapshot() == before


def test_the_customer_changes_tip_and_method_until_completion(api_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    booking_id = api_as(customer).post(f"/offers/{offer.pk}/accept").data["id"]
    changed = api_as(customer).patch(
        f"/bookings/{booking_id}/payment", {"tip_minor": 700, "payment_method": "cash"}
    )
    assert changed.status_code == 200, changed.data
    assert (changed.data["tip_minor"], changed.data["payment_method"]) == (700, "cash")
    assert_problem(
        api_as(helper).patch(f"/bookings/{booking_id}/payment", {"tip_minor": 5000}),
        403,
        code="wrong_party",
    )
    play_visit(booking_id, until="checked_in")
    assert (
        api_as(customer)
        .patch(f"/bookings/{booking_id}/payment", {"tip_minor": 800})
        .data["tip_minor"]
        == 800
    )
    play_visit_rest = booking_complete(actor=helper, booking_id=booking_id)
    assert play_visit_rest.state == "awaiting_sign_off"  # the tip may still change
    assert api_as(customer).patch(f"/bookings/{booking_id}/payment", {"tip_minor": 800})
    assert api_as(customer).post(f"/bookings/{booking_id}/sign-off").status_code == 200
    late = api_as(customer).patch(f"/bookings/{booking_id}/payment", {"tip_minor": 100})
    assert_problem(late, 409, code="payment_settled")
    assert Booking.objects.get(pk=booking_id).tip_minor == 800


def test_the_helper_records_cash_at_completion(api_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    booking_id = api_as(customer).post(f"/offers/{offer.pk}/accept").data["id"]
    play_visit(booking_id, until="checked_in")
    done = api_as(helper).post(f"/bookings/{booking_id}/complete", {"paid_cash": True})
    assert done.status_code == 200, done.data
    assert done.data["payment_method"] == "cash"
    assert not DomainEvent.objects.filter(kind="job.settled").exists()  # not before sign-off
    api_as(customer).post(f"/bookings/{booking_id}/sign-off")
    settled = DomainEvent.objects.get(kind="job.settled").payload
    assert settled["method"] == "cash"


def test_completion_settles_the_v2_payload(api_as, customer, helper):
    offer = lined_offer(api_as, helper, make_request(customer, skill="internet-wlan"))
    booking_id = (
        api_as(customer).post(f"/offers/{offer['id']}/accept", {"tip_minor": 300}).data["id"]
    )
    play_visit(booking_id)
    payload = DomainEvent.objects.get(kind="job.settled").payload
    assert set(payload) == {
        "booking_id", "request_id", "helper_id", "customer_id", "currency", "settled_at",
        "price_minor", "tip_minor", "method", "partner_id", "partner_share_minor", "lines",
        "skill_flags", "market", "skill", "category", "helper_country",
    }  # fmt: skip
    assert payload["price_minor"] == 10000
    assert payload["tip_minor"] == 300
    assert payload["method"] == "transfer"
    assert (payload["partner_id"], payload["partner_share_minor"]) == (None, 0)
    assert payload["lines"][0] == {
        "kind": "labour",
        "label": "Install",
        "quantity": "2",
        "unit_minor": 4500,
        "vat_rate": "0",
        "total_minor": 9000,
    }
    assert payload["skill_flags"] == ["property"]
    assert (payload["market"], payload["skill"], payload["category"]) == (
        "CH",
        "internet-wlan",
        "tech-support",
    )
    assert payload["helper_country"] == "CH"
    assert payload["customer_id"] == customer.pk


def test_only_the_customer_changes_the_payment(api_as, anon, customer, helper):
    offer = make_offer(helper, make_request(customer))
    booking_id = api_as(customer).post(f"/offers/{offer.pk}/accept").data["id"]
    stranger = make_customer(email="s@example.com")
    path = f"/bookings/{booking_id}/payment"
    assert anon.patch(path, {"tip_minor": 100}).status_code == 401
    assert api_as(stranger).patch(path, {"tip_minor": 100}).status_code == 404
    assert_problem(api_as(helper).patch(path, {"tip_minor": 100}), 403, code="wrong_party")
    assert_problem(api_as(customer).patch(path, {"tip_minor": 9001}), 422, field="tip_minor")
    assert Booking.objects.get(pk=booking_id).tip_minor == 0
