"""Before the visit: the contact step and its 12-hour reminder, the confirmation 24 hours
ahead with the customer's reminder, the 12-hour care line and "another helper" only with the
customer's consent, and "on my way" with the ETA the customer sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.before_visit import before_visit_tick
from quartier.bookings.models import Booking
from quartier.bookings.plan_models import BookingReminder, CareLine
from quartier.events.models import DomainEvent
from quartier.jobs.models import JobRequest
from quartier.notifications.models import Notification
from tests.factories import make_booking, make_customer

pytestmark = pytest.mark.django_db


def told(user, words: str) -> int:
    """Notifications about bookings whose title (in the user's language: German unless they
    chose otherwise) has `words`."""
    return Notification.objects.filter(user=user, kind="booked", title__icontains=words).count()


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_the_helper_sees_the_customers_number_and_a_checklist_and_ticks_contact_off(
    api_as, customer, helper
):
    booking = make_booking(customer, helper)
    page = api_as(helper).get(f"/bookings/{booking.pk}/plan")
    assert page.status_code == 200
    assert page.data["contacted_at"] is None
    assert api_as(customer).post(f"/bookings/{booking.pk}/contacted").status_code == 403
    done = api_as(helper).post(f"/bookings/{booking.pk}/contacted")
    assert done.status_code == 200, done.data
    assert done.data["contacted_at"] is not None
    assert DomainEvent.objects.filter(kind="booking.contacted").count() == 1


def test_the_contact_reminder_comes_once_12_hours_after_booking_and_not_when_contacted(
    api_as, customer, helper
):
    booking = make_booking(customer, helper)
    other = make_booking(make_customer(email="otto@example.com"), helper, days=3)
    api_as(helper).post(f"/bookings/{other.pk}/contacted")
    with at(booking.created_at + timedelta(hours=11, minutes=59)):
        before_visit_tick()
    assert told(helper, "Bitte melde dich bei deiner Kundschaft") == 0
    with at(booking.created_at + timedelta(hours=12, minutes=1)):
        assert before_visit_tick().get("contact") == 1
        before_visit_tick()
    assert (
        told(helper, "Bitte melde dich bei deiner Kundschaft") == 1
    )  # once, and none for the contacted booking
    assert BookingReminder.objects.filter(kind="contact").count() == 1


def test_confirmation_opens_24_hours_ahead_and_tells_the_customer(api_as, customer, helper):
    booking = make_booking(customer, helper)
    early = api_as(helper).post(f"/bookings/{booking.pk}/confirm")
    assert early.status_code == 409
    assert early.data["code"] == "too_early"
    with at(booking.starts_at - timedelta(hours=23)):
        assert api_as(customer).post(f"/bookings/{booking.pk}/confirm").status_code == 403
        done = api_as(helper).post(f"/bookings/{booking.pk}/confirm")
        assert done.status_code == 200, done.data
        assert done.data["confirmed_at"] is not None
        again = api_as(helper).post(f"/bookings/{booking.pk}/confirm")
        assert again.status_code == 200
    assert told(customer, "Bestätigt:") == 1
    assert DomainEvent.objects.filter(kind="booking.confirmed").count() == 1


def test_24_hours_ahead_the_helper_is_asked_to_confirm_and_the_customer_reminded_once(
    customer, helper
):
    booking = make_booking(customer, helper)
    with at(booking.starts_at - timedelta(hours=24, minutes=1)):
        before_visit_tick()
    assert told(helper, "Bitte bestätige deinen Besuch") == told(customer, "Erinnerung:") == 0
    with at(booking.starts_at - timedelta(hours=23, minutes=59)):
        before_visit_tick()
        before_visit_tick()
    assert told(helper, "Bitte bestätige deinen Besuch") == 1
    assert told(customer, "Erinnerung:") == 1


def test_not_confirmed_12_hours_ahead_the_customer_is_told_and_care_gets_a_line_once(
    api_as, customer, helper
):
    booking = make_booking(customer, helper)
    with at(booking.starts_at - timedelta(hours=11)):
        assert before_visit_tick().get("unconfirmed") == 1
        before_visit_tick()
        plan = api_as(customer).get(f"/bookings/{booking.pk}/plan").data
    assert told(customer, "Noch nicht bestätigt") == 1
    assert CareLine.objects.filter(booking=booking, status="open").count() == 1
    assert plan["may_ask_another_helper"] is True
    # The tick never re-dispatches by itself: the booking stands until the customer asks.
    assert Booking.objects.get(pk=booking.pk).state == "booked"
    assert JobRequest.objects.get(pk=booking.request_id).state == "booked"
    with at(booking.starts_at - timedelta(hours=10)):
        assert api_as(helper).post(f"/bookings/{booking.pk}/confirm").status_code == 200
    assert CareLine.objects.get(booking=booking).status == "done"  # the confirmation closes it


def test_a_confirmed_visit_raises_no_care_line(api_as, customer, helper):
    booking = make_booking(customer, helper)
    with at(booking.starts_at - timedelta(hours=20)):
        api_as(helper).post(f"/bookings/{booking.pk}/confirm")
    with at(booking.starts_at - timedelta(hours=11)):
        before_visit_tick()
    assert told(customer, "Noch nicht bestätigt") == 0
    assert not CareLine.objects.exists()


def test_only_the_customer_may_ask_for_another_helper_and_only_when_unconfirmed_at_12_hours(
    api_as, customer, helper
):
    booking = make_booking(customer, helper)
    operator = make_customer(email="ops@quartier.example", is_staff=True)
    url = f"/bookings/{booking.pk}/another-helper"
    with at(booking.starts_at - timedelta(hours=13)):
        too_soon = api_as(customer).post(url)
    assert too_soon.status_code == 409
    assert too_soon.data["code"] == "not_unconfirmed"
    with at(booking.starts_at - timedelta(hours=11)):
        before_visit_tick()
        assert api_as(helper).post(url).status_code == 403
        assert api_as(operator).post(url).status_code == 403
        assert Booking.objects.get(pk=booking.pk).state == "booked"
        asked = api_as(customer).post(url)
    assert asked.status_code == 200, asked.data
    booking.refresh_from_db()
    assert booking.state == "cancelled"
    assert booking.cancelled_by_id == customer.pk  # not the helper's cancellation
    assert JobRequest.objects.get(pk=booking.request_id).state == "requested"
    event = DomainEvent.objects.get(kind="booking.cancelled")
    assert event.payload["redispatched"] is True
    assert event.payload["fee_minor"] == 0
    assert told(helper, "um eine andere helfende Person gebeten") == 1
    assert CareLine.objects.get(booking=booking).status == "done"


def test_a_booking_made_less_than_24_hours_ahead_has_no_confirmation_timers(customer, helper):
    booking = make_booking(customer, helper, days=0.5)
    with at(booking.starts_at - timedelta(hours=2)):
        sent = before_visit_tick()
    assert "confirm" not in sent
    assert "unconfirmed" not in sent
    assert not CareLine.objects.exists()


def test_on_my_way_shows_the_customer_the_eta(api_as, customer, helper):
    booking = make_booking(customer, helper)
    url = f"/bookings/{booking.pk}/on-my-way"
    early = api_as(helper).post(url, {"eta_minutes": 20})
    assert early.status_code == 409
    with at(booking.starts_at - timedelta(minutes=30)):
        assert api_as(customer).post(url, {"eta_minutes": 20}).status_code == 403
        assert api_as(helper).post(url, {"eta_minutes": 0}).status_code == 422
        done = api_as(helper).post(url, {"eta_minutes": 25})
        assert done.status_code == 200, done.data
        seen = api_as(customer).get(f"/bookings/{booking.pk}/plan").data
        expected = timezone.now() + timedelta(minutes=25)
    assert seen["on_my_way_at"] is not None
    assert abs(timezone.datetime.fromisoformat(seen["eta_at"]) - expected) < timedelta(seconds=1)
    assert told(customer, "ist unterwegs") == 1


def test_the_steps_end_with_check_in(api_as, customer, helper):
    booking = make_booking(customer, helper)
    Booking.objects.filter(pk=booking.pk).update(state="in_progress")
    done = api_as(helper).post(f"/bookings/{booking.pk}/confirm")
    assert done.status_code == 409
