"""A member's bookings in their own calendar app: a private iCal feed (as helper and as
customer) with a revocable address, through the web and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from quartier.bookings.services import booking_cancel
from quartier.calendars.models import CalendarFeed
from quartier.calendars.services import SALT, feed_url
from tests.factories import make_booking, make_customer, make_helper

pytestmark = pytest.mark.django_db


def events(client: Client, url: str) -> list:
    response = client.get(url.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_both_parties_see_the_booking_with_time_place_and_link(api_as, customer, helper):
    booking = make_booking(customer, helper, title="WLAN einrichten")
    anon = Client()

    (as_helper,) = events(anon, api_as(helper).get("/me/calendar").data["url"])
    (as_customer,) = events(anon, api_as(customer).get("/me/calendar").data["url"])

    for event in (as_helper, as_customer):
        assert str(event["summary"]) == "WLAN einrichten"
        assert event.decoded("dtstart") == booking.starts_at
        assert event.decoded("dtend") == booking.ends_at
        assert "Badenerstrasse 12" in str(event["location"])
        assert str(event["url"]).endswith(f"/bookings/{booking.pk}")
    assert str(as_helper["description"]) == customer.full_name
    assert str(as_customer["description"]) == helper.full_name


def test_a_cancelled_booking_stays_cancelled_without_its_address(api_as, customer, helper):
    booking = make_booking(customer, helper)
    booking_cancel(actor=customer, booking_id=booking.pk, reason="moved")
    (event,) = events(Client(), api_as(helper).get("/me/calendar").data["url"])
    assert str(event["status"]) == "CANCELLED"
    assert "Badenerstrasse" not in str(event["location"])


def test_someone_elses_booking_is_not_in_the_feed(api_as, customer, helper):
    make_booking(customer, helper)
    stranger = make_helper(email="other@example.com")
    assert events(Client(), api_as(stranger).get("/me/calendar").data["url"]) == []


def test_an_address_handed_out_with_a_timestamp_still_works(helper):
    """Addresses given out before they were stable carry a timestamp; subscribed calendars
    keep them, so they keep working until the member revokes."""
    make_booking(make_customer(), helper)
    feed_url(helper)
    version = CalendarFeed.objects.get(user=helper).version
    token = signing.dumps([helper.pk, version], salt=SALT, compress=True)
    assert len(events(Client(), f"/calendar/{token}.ics")) == 1


def test_revoking_makes_the_old_address_answer_404(api_as, helper, time_machine):
    old = api_as(helper).get("/me/calendar").data["url"]
    time_machine.move_to(timezone.now() + timedelta(minutes=5))
    assert api_as(helper).get("/me/calendar").data["url"] == old  # stable until revoked
    new = api_as(helper).post("/me/calendar/revoke").data["url"]
    assert new != old
    assert Client().get(old.replace("http://127.0.0.1:8000", "")).status_code == 404
    assert events(Client(), new) == []


def test_a_forged_address_is_404(helper):
    assert Client().get("/calendar/not-a-token.ics").status_code == 404
