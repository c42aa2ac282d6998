"""Customer care's queue and no-show decisions in the back office."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from quartier.bookings.before_visit import before_visit_tick
from quartier.bookings.models import Booking
from quartier.bookings.plan_models import CareLine, NoShowReport
from tests.factories import make_booking, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return make_customer(email="ops@example.com", is_staff=True, is_superuser=True)


def test_customer_care_sees_the_unconfirmed_visit_and_closes_the_line_with_a_note(
    browser_as, customer, helper, operator
):
    booking = make_booking(customer, helper)
    with time_machine.travel(booking.starts_at - timedelta(hours=11), tick=False):
        before_visit_tick()
    admin = browser_as(operator)
    index = admin.get("/admin/").content.decode()
    assert "<strong>1</strong>Customer care: visits not confirmed" in index
    assert "/admin/bookings/careline/?status__exact=open" in index
    line = CareLine.objects.get()
    change = f"/admin/bookings/careline/{line.pk}/change/"
    assert admin.get(change).status_code == 200
    admin.post(change, {"note": "Called Anna: the helper comes, his phone was off."})
    line.refresh_from_db()
    assert line.status == "done"
    assert line.closed_by == operator
    assert Booking.objects.get(pk=booking.pk).state == "booked"  # nothing else moved


def test_an_operator_decides_a_no_show_in_the_back_office(browser_as, customer, helper, operator):
    booking = make_booking(customer, helper)
    with time_machine.travel(booking.starts_at + timedelta(minutes=30), tick=False):
        browser_as(helper).post(f"/bookings/{booking.pk}/no-show", {"note": "Door closed."})
    admin = browser_as(operator)
    assert "<strong>1</strong>No-show reports" in admin.get("/admin/").content.decode()
    report = NoShowReport.objects.get()
    change = f"/admin/bookings/noshowreport/{report.pk}/change/"
    page = admin.get(change).content.decode()
    assert "4500" in page  # the default: the late-cancellation fee
    admin.post(
        change, {"verdict": "upheld", "resolution": "Neighbours confirm.", "amount_minor": "3000"}
    )
    report.refresh_from_db()
    assert (report.decision, report.fee_minor, report.decided_by) == ("upheld", 3000, operator)
    assert Booking.objects.get(pk=booking.pk).state == "cancelled"
