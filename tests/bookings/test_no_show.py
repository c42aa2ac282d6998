"""No-shows: reported by one side from the booked start on, with what was known; decided
once by an operator; a customer's no-show costs them the late-cancellation fee (to the
helper, less commission), a helper's gives the customer a compensation from Quartier."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quartier.bookings.models import Booking
from quartier.bookings.no_show import no_show_decide
from quartier.bookings.plan_change_models import NoShowReport
from quartier.errors import Conflict, Forbidden, InvalidInput
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.jobs.models import JobRequest
from quartier.messaging.services import message_send
from quartier.payments import chart
from quartier.payments.balances import account_balance
from quartier.payments.cancellation_fees import CANCELLATION_FEE
from quartier.payments.models import LedgerTransaction
from quartier.payments.no_show import NO_SHOW_COMPENSATION
from tests.factories import make_booking, make_customer, play_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return make_customer(email="ops@quartier.example", is_staff=True)


def ledger(booking, kind):
    return LedgerTransaction.objects.filter(subject=f"booking:{booking.pk}", kind=kind)


def after_start(booking, minutes=40):
    return time_machine.travel(booking.starts_at + timedelta(minutes=minutes), tick=False)


def test_a_no_show_is_reported_from_the_start_on_with_what_is_known(api_as, customer, helper):
    booking = make_booking(customer, helper)
    message_send(actor=customer, request_id=booking.request_id, helper_id=helper.pk, body="Hi?")
    early = api_as(customer).post(f"/bookings/{booking.pk}/no-show", {})
    assert early.status_code == 409
    assert early.data["code"] == "too_early"
    with time_machine.travel(booking.starts_at - timedelta(hours=2), tick=False):
        api_as(helper).post(f"/bookings/{booking.pk}/confirm")
    with after_start(booking):
        reported = api_as(customer).post(
            f"/bookings/{booking.pk}/no-show", {"note": "Nobody came.", "another_helper": True}
        )
        again = api_as(helper).post(f"/bookings/{booking.pk}/no-show", {})
    assert reported.status_code == 200, reported.data
    report = reported.data["no_show"]
    assert report["absent"] == "helper"
    assert report["decision"] == "open"
    facts = report["facts"]
    assert facts["checked_in_at"] is None
    assert facts["confirmed_at"] is not None
    assert facts["on_my_way_at"] is None
    assert facts["messages"]["customer_sent"] == 1
    assert facts["messages"]["helper_sent"] == 0
    assert again.status_code == 409  # one open report per booking
    # A report is no verdict: the booking stands until an operator decides.
    assert Booking.objects.get(pk=booking.pk).state == "booked"


def test_an_upheld_customer_no_show_books_the_late_cancellation_fee_for_the_helper(
    api_as, customer, helper, operator
):
    booking = make_booking(customer, helper)  # 90.00 CHF
    booking = play_visit(booking, until="checked_in")  # the helper rang at the door
    with after_start(booking):
        api_as(helper).post(f"/bookings/{booking.pk}/no-show", {"note": "Nobody opened."})
    report = NoShowReport.objects.get()
    assert report.absent == "customer"
    with pytest.raises(Forbidden):
        no_show_decide(actor=helper, report_id=report.pk, upheld=True, resolution="x")
    no_show_decide(
        actor=operator, report_id=report.pk, upheld=True, resolution="Photos of the door."
    )
    events_deliver()
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    assert JobRequest.objects.get(pk=booking.request_id).state == "cancelled"
    assert NoShowReport.objects.get().fee_minor == 4500  # 50 % of the customer's 90.00
    (fee,) = ledger(booking, CANCELLATION_FEE)
    assert sum(e.amount_minor for e in fee.entries.all()) == 0
    assert account_balance(chart.helper_jobs_gross(helper.pk, "CHF").code) == -4500
    assert account_balance(chart.helper_receivable(helper.pk, "CHF").code) == 675  # commission
    assert not ledger(booking, NO_SHOW_COMPENSATION).exists()
    with pytest.raises(Conflict):  # decided once
        no_show_decide(actor=operator, report_id=report.pk, upheld=False, resolution="again")


def test_an_upheld_helper_no_show_credits_the_customer_and_redispatches_only_if_asked(
    api_as, customer, helper, operator
):
    asked = make_booking(customer, helper)
    not_asked = make_booking(make_customer(email="otto@example.com"), helper, days=4)
    for booking, another in ((asked, True), (not_asked, False)):
        with after_start(booking):
            api = api_as(booking.customer)
            api.post(f"/bookings/{booking.pk}/no-show", {"another_helper": another})
        report = NoShowReport.objects.get(booking=booking)
        no_show_decide(
            actor=operator,
            report_id=report.pk,
            upheld=True,
            resolution="No sign of him.",
            amount_minor=2000,
        )
    events_deliver()
    assert JobRequest.objects.get(pk=asked.request_id).state == "requested"
    assert JobRequest.objects.get(pk=not_asked.request_id).state == "cancelled"
    redispatched = {
        e.payload["booking_id"]: e.payload["redispatched"]
        for e in DomainEvent.objects.filter(kind="booking.cancelled")
    }
    assert redispatched == {asked.pk: True, not_asked.pk: False}
    (credit,) = ledger(asked, NO_SHOW_COMPENSATION)
    assert account_balance(chart.customer_receivable(customer.pk, "CHF").code) == -2000
    assert sum(e.amount_minor for e in credit.entries.all()) == 0
    assert not ledger(asked, CANCELLATION_FEE).exists()
    # The helper's own accounts are not touched by a compensation.
    assert account_balance(chart.helper_receivable(helper.pk, "CHF").code) == 0
    for booking in (asked, not_asked):
        assert Booking.objects.get(pk=booking.pk).cancelled_by_id != helper.pk


def test_a_report_not_upheld_changes_nothing_and_books_nothing(api_as, customer, helper, operator):
    booking = make_booking(customer, helper)
    with after_start(booking):
        api_as(customer).post(f"/bookings/{booking.pk}/no-show", {})
    report = NoShowReport.objects.get()
    no_show_decide(actor=operator, report_id=report.pk, upheld=False, resolution="He was there.")
    events_deliver()
    assert Booking.objects.get(pk=booking.pk).state == "booked"
    assert not LedgerTransaction.objects.filter(subject=f"booking:{booking.pk}").exists()
    assert NoShowReport.objects.get().decision == "not_upheld"


def test_an_amount_above_the_customers_share_is_refused(api_as, customer, helper, operator):
    booking = make_booking(customer, helper)
    with after_start(booking):
        api_as(helper).post(f"/bookings/{booking.pk}/no-show", {})
    report = NoShowReport.objects.get()
    with pytest.raises(InvalidInput) as refused:
        no_show_decide(
            actor=operator, report_id=report.pk, upheld=True, resolution="x", amount_minor=9001
        )
    assert "amount_minor" in refused.value.errors
    assert NoShowReport.objects.get().decision == "open"
    assert Booking.objects.get(pk=booking.pk).state == "booked"
