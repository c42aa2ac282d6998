"""A German consumer buying from a trader helper: the notice and model form naming the
helper at checkout, two unticked declarations, no check-in inside the 14 days without both,
the withdrawal button with its receipt, and after an early start the value of the work done
kept and the rest credited (§ 357a BGB). Private helpers, urgent repairs and Switzerland
carry no right of withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from quartier.bookings.models import Booking, ConsumerContract
from quartier.bookings.services import offer_accept
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.invoicing.models import Invoice
from quartier.jobs.models import JobRequest
from quartier.payments import chart
from quartier.payments.balances import account_balance
from quartier.payments.models import LedgerTransaction
from quartier.web.provider import trader_of
from tests.factories import arrive, make_customer, make_helper, make_offer, make_request
from tests.invoicing.helpers import payout_profile

pytestmark = pytest.mark.django_db


def berlin_offer(*, trader: bool = True, days: float = 2, price: int = 9990, **request_fields):
    """An offer of a Berlin helper (a Kleinunternehmer when `trader`) to Clara in Berlin,
    2 hours booked."""
    helper = make_helper(country="DE", postcode="10115", full_name="Bernd Beispiel")
    if trader:
        payout_profile(helper, "de_small")
    customer = make_customer(full_name="Clara Kundin", preferred_language="de")
    job = make_request(
        customer,
        country="DE",
        postcode="10117",
        street_address="Friedrichstraße 43",
        days=days,
        **request_fields,
    )
    return make_offer(helper, job, price=price)


def book(offer, *, boxes: bool = False) -> Booking:
    return offer_accept(
        actor=offer.request.customer,
        offer_id=offer.pk,
        trader=trader_of(offer.helper),
        early_start=boxes,
        loss_acknowledged=boxes,
    )


@pytest.fixture
def tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_checkout_shows_the_notice_naming_the_helper_and_two_unticked_boxes(api_as):
    offer = berlin_offer()
    data = api_as(offer.request.customer).get(f"/offers/{offer.pk}/checkout").data
    consumer = data["consumer"]
    assert consumer["regime"] == "withdrawal"
    assert consumer["trader_name"] == "Bernd Beispiel"
    assert consumer["trader_address"] == "Invalidenstraße 117, 10115 Berlin"
    assert consumer["trader_email"] == offer.helper.email
    notice = consumer["notice"]
    assert "Bernd Beispiel, Invalidenstraße 117, 10115 Berlin" in notice
    assert "14 days" in notice
    assert "Model withdrawal form" in notice
    assert "TV box shows no picture" in notice  # the service, in the model form
    assert "before the withdrawal period ends" in consumer["early_start_text"]
    assert "fully performed" in consumer["loss_text"]
    assert consumer["early_start_requested_at"] is None  # nothing ticked in advance
    assert data["cancellation"]["withdrawal_days"] == 14
    assert "trader (Unternehmer)" in data["consumer_notice"]


def test_a_private_helper_is_shown_as_a_private_person(api_as):
    offer = berlin_offer(trader=False)
    data = api_as(offer.request.customer).get(f"/offers/{offer.pk}/checkout").data
    assert data["consumer"]["regime"] == "private"
    assert data["consumer"]["notice"] == ""
    assert "consumer-protection rules do not apply" in data["consumer_notice"]
    assert data["cancellation"]["withdrawal_days"] == 0


def test_an_urgent_repair_shows_the_exception_and_is_not_held_back(api_as):
    offer = berlin_offer(urgent=True)
    data = api_as(offer.request.customer).get(f"/offers/{offer.pk}/checkout").data
    assert data["consumer"]["regime"] == "urgent"
    assert "§ 312g Abs. 2 Nr. 11 BGB" in data["consumer"]["text"]
    booking = arrive(book(offer))  # no boxes: no right, no gate
    started = api_as(offer.helper).post(f"/bookings/{booking.pk}/check-in")
    assert started.status_code == 200, started.data


def test_a_swiss_customer_has_no_withdrawal_regime(api_as, customer, helper):
    offer = make_offer(helper, make_request(customer))
    data = api_as(customer).get(f"/offers/{offer.pk}/checkout").data
    assert data["consumer"]["regime"] == "none"
    assert data["consumer"]["text"] == ""


def test_a_german_consumer_cannot_be_checked_in_inside_14_days_without_both_boxes(api_as):
    offer = berlin_offer()
    booking = arrive(book(offer))  # booked without the declarations: still booked
    helper, customer = api_as(offer.helper), api_as(offer.request.customer)

    refused = helper.post(f"/bookings/{booking.pk}/check-in")
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.data["code"] == "withdrawal_consent_missing"
    assert Booking.objects.get(pk=booking.pk).state == "booked"

    one = customer.post(f"/bookings/{booking.pk}/start-consent", {"early_start": True})
    assert one.status_code == 422
    assert set(one.data["errors"]) == {"loss_acknowledged"}
    assert helper.post(f"/bookings/{booking.pk}/check-in").status_code == 409

    both = customer.post(
        f"/bookings/{booking.pk}/start-consent", {"early_start": True, "loss_acknowledged": True}
    )
    assert both.status_code == 200, both.data
    assert both.data["early_start_requested_at"] is not None
    started = helper.post(f"/bookings/{booking.pk}/check-in")
    assert started.status_code == 200, started.data
    assert Booking.objects.get(pk=booking.pk).state == "in_progress"


def test_with_both_boxes_at_checkout_the_helper_checks_in_at_once(api_as):
    offer = berlin_offer()
    booking = arrive(book(offer, boxes=True))
    contract = ConsumerContract.objects.get(booking=booking)
    assert contract.early_start_requested_at == contract.concluded_at
    assert contract.notice_version
    assert api_as(offer.helper).post(f"/bookings/{booking.pk}/check-in").status_code == 200


def test_after_the_14_days_the_check_in_needs_no_boxes(api_as):
    offer = berlin_offer(days=16)
    booking = book(offer)
    with time_machine.travel(booking.starts_at, tick=False):
        started = api_as(offer.helper).post(f"/bookings/{booking.pk}/check-in")
    assert started.status_code == 200, started.data


def test_the_checkout_confirmation_carries_the_notice_even_when_bookings_mails_are_off(
    tasks_now, django_capture_on_commit_callbacks
):
    from quartier.notifications.models import EmailOptOut

    offer = berlin_offer()
    EmailOptOut.objects.create(user=offer.request.customer, kind="booked")
    with django_capture_on_commit_callbacks(execute=True):
        book(offer, boxes=True)
    [confirmation] = [m for m in mail.outbox if m.to == [offer.request.customer.email]]
    body = confirmation.body
    assert "Widerrufsrecht" in body
    assert "Bernd Beispiel, Invalidenstraße 117, 10115 Berlin" in body
    assert "Hiermit widerrufe(n) ich/wir" in body  # the model form
    assert "vor Ablauf der Widerrufsfrist mit der Leistung beginnt" in body  # declaration 1
    assert "bei vollständiger Vertragserfüllung verliere" in body  # declaration 2
    assert "99,90" in body


def test_a_withdrawal_before_the_start_costs_nothing_and_is_receipted(
    api_as, tasks_now, django_capture_on_commit_callbacks
):
    offer = berlin_offer(days=0.3)  # inside the 24 hours a cancellation would cost 50 %
    booking = book(offer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = api_as(offer.request.customer).post(f"/bookings/{booking.pk}/withdrawal")
    assert done.status_code == 200, done.data
    assert done.data["withdrawn_at"] is not None
    assert done.data["compensation_minor"] == 0
    assert done.data["refund_minor"] == 0
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    assert JobRequest.objects.get(pk=booking.request_id).state == "cancelled"
    cancelled = DomainEvent.objects.get(kind="booking.cancelled").payload
    assert cancelled["withdrawal"] is True
    assert cancelled["fee_minor"] == 0
    events_deliver()
    assert not Invoice.objects.filter(booking_id=booking.pk).exists()
    assert not LedgerTransaction.objects.filter(subject=f"booking:{booking.pk}").exists()
    [receipt] = [m for m in mail.outbox if m.to == [offer.request.customer.email]]
    withdrawn = timezone.localtime(ConsumerContract.objects.get().withdrawn_at)
    assert "Widerruf ist eingegangen" in receipt.subject
    assert "Inhalt: Du widerrufst deinen Vertrag mit Bernd Beispiel" in receipt.body
    assert f"{withdrawn:%H:%M}" in receipt.body  # the time of receipt
    assert "Stornogebühr" in receipt.body
    again = api_as(offer.request.customer).post(f"/bookings/{booking.pk}/withdrawal")
    assert again.status_code == 409
    assert again.data["code"] == "withdrawal_closed"


def test_a_withdrawal_after_an_early_start_produces_the_right_credit_note(api_as):
    offer = berlin_offer(price=9990)  # 2 hours booked
    booking = arrive(book(offer, boxes=True))
    api_as(offer.helper).post(f"/bookings/{booking.pk}/check-in")
    started = Booking.objects.get(pk=booking.pk).started_at
    with time_machine.travel(started + timedelta(minutes=37), tick=False):
        done = api_as(offer.request.customer).post(f"/bookings/{booking.pk}/withdrawal")
    assert done.status_code == 200, done.data
    # 37 of 120 minutes: 9990 * 37 / 120 = 3080.25 -> 3080 kept, 6910 refunded.
    assert done.data["compensation_minor"] == 3080
    assert done.data["refund_minor"] == 6910
    assert Booking.objects.get(pk=booking.pk).state == "cancelled"
    events_deliver()
    invoice = Invoice.objects.get(booking_id=booking.pk, kind="customer_invoice")
    credit = Invoice.objects.get(booking_id=booking.pk, kind="credit_note")
    assert invoice.total_minor == 9990
    assert credit.total_minor == -6910
    assert credit.original_id == invoice.pk
    assert credit.series == invoice.series  # in the helper's name, their numbering
    assert "Widerruf" in credit.snapshot["lines"][0]["label"]
    assert "§ 357a" in credit.snapshot["lines"][0]["label"]
    # The ledger: the helper's gross for the job is the value compensation alone.
    assert account_balance(chart.helper_jobs_gross(offer.helper_id, "EUR").code) == -3080


def test_the_value_compensation_is_capped_at_the_price(api_as):
    offer = berlin_offer(price=9000)
    booking = arrive(book(offer, boxes=True))
    api_as(offer.helper).post(f"/bookings/{booking.pk}/check-in")
    started = Booking.objects.get(pk=booking.pk).started_at
    with time_machine.travel(started + timedelta(hours=3), tick=False):
        done = api_as(offer.request.customer).post(f"/bookings/{booking.pk}/withdrawal")
    assert done.data["compensation_minor"] == 9000
    assert done.data["refund_minor"] == 0
    events_deliver()
    assert not Invoice.objects.filter(booking_id=booking.pk, kind="credit_note").exists()
    assert Invoice.objects.get(booking_id=booking.pk).total_minor == 9000


def test_no_withdrawal_after_check_out_or_after_the_14_days(api_as):
    from tests.factories import play_visit

    offer = berlin_offer()
    booking = play_visit(book(offer, boxes=True), until="checked_out")
    closed = api_as(offer.request.customer).post(f"/bookings/{booking.pk}/withdrawal")
    assert closed.status_code == 409
    assert closed.data["code"] == "withdrawal_closed"

    late = book(berlin_offer(days=16))
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        closed = api_as(late.customer).post(f"/bookings/{late.pk}/withdrawal")
    assert closed.status_code == 409
    assert ConsumerContract.objects.get(booking=late).withdrawn_at is None


def test_only_the_customer_withdraws(api_as):
    offer = berlin_offer()
    booking = book(offer)
    refused = api_as(offer.helper).post(f"/bookings/{booking.pk}/withdrawal")
    assert refused.status_code == 403
    assert Booking.objects.get(pk=booking.pk).state == "booked"


def test_a_private_helpers_customer_cannot_withdraw_or_consent(api_as):
    offer = berlin_offer(trader=False)
    booking = book(offer)
    customer = api_as(offer.request.customer)
    assert customer.post(f"/bookings/{booking.pk}/withdrawal").status_code == 409
    consent = customer.post(
        f"/bookings/{booking.pk}/start-consent", {"early_start": True, "loss_acknowledged": True}
    )
    assert consent.status_code == 409
    assert consent.data["code"] == "no_withdrawal_right"
    assert api_as(offer.helper).post(f"/bookings/{arrive(booking).pk}/check-in").status_code == 200


def test_a_cancellation_inside_the_period_is_a_withdrawal_with_its_receipt(
    api_as, tasks_now, django_capture_on_commit_callbacks
):
    offer = berlin_offer(days=0.3)
    booking = book(offer)
    with django_capture_on_commit_callbacks(execute=True):
        done = api_as(offer.request.customer).post(f"/bookings/{booking.pk}/cancel", {})
    assert done.status_code == 200, done.data
    assert ConsumerContract.objects.get(booking=booking).withdrawn_at is not None
    assert DomainEvent.objects.get(kind="booking.cancelled").payload["fee_minor"] == 0
    assert any("Widerruf" in m.subject for m in mail.outbox)
