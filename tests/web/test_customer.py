"""The customer's pages: post a request, see it with matched helpers and offers, book one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import Booking, Offer
from quartier.jobs.models import JobRequest
from tests.factories import make_booking, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


def local(days: int, hour: int) -> str:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def posting(**changes: str) -> dict[str, str]:
    return {
        "skill": "tv-set-top-box",
        "title": "TV box shows no picture",
        "description": "Since the update.",
        "country": "CH",
        "postcode": "8004 Zürich",
        "street_address": "Badenerstrasse 12",
        "window_start": local(2, 9),
        "window_end": local(2, 17),
        "budget": "120.50",
    } | changes


def test_the_request_form_offers_skills_and_postcode_suggestions(browser_as, customer):
    html = browser_as(customer).get("/requests/new").content.decode()
    assert '<optgroup label="Tech support">' in html
    assert '<option value="tv-set-top-box">TV &amp; set-top box</option>' in html
    assert 'list="postcode-list"' in html
    assert '<datalist id="postcode-list">' in html
    assert 'hx-get="/postcodes/suggest"' in html
    assert 'hx-include="[name=country]"' in html
    assert 'type="datetime-local"' in html
    assert 'aria-describedby="id_street_address_helptext"' in html


def test_posting_a_request_shows_it_with_the_matched_helpers_explained(
    browser_as, customer, helper
):
    client = browser_as(customer)
    response = client.post("/requests/new", posting())
    job = JobRequest.objects.get()
    assert response["Location"] == f"/requests/{job.pk}"
    assert (job.postcode, job.locality, job.budget_minor) == ("8004", "Zürich", 12050)
    assert timezone.localtime(job.window_start).hour == 9  # local time, Europe/Zurich
    html = client.get(response["Location"]).content.decode()
    assert "Your request is posted." in html
    assert "Waiting for offers" in html
    assert "CHF\xa0120.50" in html
    assert helper.full_name in html
    assert "km away · new in TV &amp; set-top box" in html  # the explanation sentence
    assert "Badenerstrasse 12" in html  # the customer sees their own address


def test_matches_are_explained_in_german(browser_as, customer, helper):
    job = make_request(customer)
    html = browser_as(customer, "de").get(f"/requests/{job.pk}").content.decode()
    assert "km entfernt · neu in TV &amp; Set-Top-Box" in html
    assert "Passende Helfer" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"postcode": "9999"}, "We do not know this postcode. Check the digits and the country."),
        ({"postcode": "Nowhere"}, "Enter the postcode&#x27;s digits, e.g. 8004 or 10115."),
        ({"country": "DE", "postcode": "8004"}, "A Swiss postcode has 4 digits, a German one 5."),
        ({"window_end": local(2, 8)}, "The time window must end after it starts."),
        ({"window_start": local(-3, 9), "window_end": local(-2, 9)}, "must end in the future"),
        ({"skill": "juggling"}, "Select a valid choice."),
        ({"title": ""}, "This field is required."),
        ({"budget": "-5"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_requests_explain_what_to_fix_and_post_nothing(browser_as, customer, change, message):
    response = browser_as(customer).post("/requests/new", posting(**change))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check what you entered." in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert not JobRequest.objects.exists()


def test_a_helper_only_account_cannot_post_and_is_told_why(browser_as, helper):
    helper.is_customer = False
    helper.save()
    html = browser_as(helper).post("/requests/new", posting()).content.decode()
    assert "Only customers can post requests." in html
    assert not JobRequest.objects.exists()


def test_my_requests_lists_only_mine(browser_as, customer, stranger):
    make_request(customer, title="Mine")
    make_request(stranger, title="Theirs")
    html = browser_as(customer).get("/requests").content.decode()
    assert "Mine" in html
    assert "Theirs" not in html


def test_a_stranger_cannot_open_someone_elses_request(browser_as, customer, stranger, helper):
    job = make_request(customer)
    assert browser_as(stranger).get(f"/requests/{job.pk}").status_code == 404
    # even a helper who may serve it sees it only on the helper page, without the address
    assert browser_as(helper).get(f"/requests/{job.pk}").status_code == 404
    assert browser_as(stranger).post(f"/requests/{job.pk}/cancel").status_code == 404
    job.refresh_from_db()
    assert job.state == "requested"


def test_offers_are_listed_with_a_book_button(browser_as, customer, helper):
    job = make_request(customer)
    offer = make_offer(helper, job, price=9000)
    html = browser_as(customer).get(f"/requests/{job.pk}").content.decode()
    assert "CHF\xa090.00" in html
    assert "Offers received" in html
    assert f'action="/offers/{offer.pk}/accept"' in html
    assert f"Book {helper.first_name}" in html


def test_booking_an_offer_makes_a_booking(browser_as, customer, helper):
    job = make_request(customer)
    offer = make_offer(helper, job)
    client = browser_as(customer)
    response = client.post(f"/offers/{offer.pk}/accept", {"request_id": job.pk})
    booking = Booking.objects.get()
    assert response["Location"] == f"/bookings/{booking.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Booked! The helper now sees your address." in html
    assert helper.full_name in html
    offer.refresh_from_db()
    assert offer.status == "accepted"


def test_a_stranger_cannot_book_someone_elses_offer(browser_as, customer, helper, stranger):
    offer = make_offer(helper, make_request(customer))
    assert browser_as(stranger).post(f"/offers/{offer.pk}/accept").status_code == 404
    assert browser_as(helper).post(f"/offers/{offer.pk}/accept").status_code == 403
    assert not Booking.objects.exists()
    offer.refresh_from_db()
    assert offer.status == "pending"


def test_a_helper_booked_elsewhere_at_that_time_cannot_be_booked_twice(
    browser_as, customer, helper, stranger
):
    make_booking(stranger, helper)  # same default window, same hours
    offer = Offer.objects.get()  # the accepted one
    second = make_offer(helper, make_request(customer, days=2))
    client = browser_as(customer)
    response = client.post(f"/offers/{second.pk}/accept", {"request_id": second.request_id})
    assert response["Location"] == f"/requests/{second.request_id}"
    assert "already booked at that time" in client.get(response["Location"]).content.decode()
    assert Booking.objects.count() == 1
    assert offer.status == "accepted"
    second.refresh_from_db()
    assert second.status == "pending"


def test_withdrawing_a_request(browser_as, customer):
    job = make_request(customer)
    client = browser_as(customer)
    response = client.post(f"/requests/{job.pk}/cancel")
    assert response["Location"] == f"/requests/{job.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Your request is withdrawn." in html
    assert "Cancelled" in html
    assert "Withdraw this request" not in html
    again = client.post(f"/requests/{job.pk}/cancel")  # nothing left to withdraw
    assert "no longer possible" in client.get(again["Location"]).content.decode()


def test_a_second_helper_in_berlin_is_not_matched_in_zurich(browser_as, customer, helper):
    make_helper(email="berlin@example.com", country="DE", postcode="10115", full_name="Bea Berlin")
    job = make_request(customer)
    html = browser_as(customer).get(f"/requests/{job.pk}").content.decode()
    assert helper.full_name in html
    assert "Bea Berlin" not in html
