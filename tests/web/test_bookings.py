"""The booking page for both parties: contact details, start / complete / cancel, reviews."""

from __future__ import annotations

import pytest

from quartier.reviews.models import Review, SkillRating
from tests.factories import arrive

pytestmark = pytest.mark.django_db


def test_both_parties_see_the_booking_with_contact_details(browser_as, booking, customer, helper):
    as_customer = browser_as(customer).get(f"/bookings/{booking.pk}").content.decode()
    assert "Badenerstrasse 12" in as_customer
    assert helper.full_name in as_customer
    assert "Check in" not in as_customer
    assert "Cancel the booking" in as_customer
    as_helper = browser_as(helper).get(f"/bookings/{booking.pk}").content.decode()
    assert "Badenerstrasse 12" in as_helper
    assert "+41 79 111 22 33" in as_helper
    assert "Check in" in as_helper
    assert 'aria-current="step">Booked</li>' in as_helper


def test_a_stranger_cannot_see_or_move_a_booking(browser_as, booking, stranger):
    client = browser_as(stranger)
    for path in ["", "/review"]:
        assert client.get(f"/bookings/{booking.pk}{path}").status_code == 404
    for action in ["start", "complete", "cancel"]:
        assert client.post(f"/bookings/{booking.pk}/{action}").status_code == 404
    booking.request.refresh_from_db()
    assert booking.request.state == "booked"


def test_the_helper_checks_in_and_out_and_the_customer_signs_off(
    browser_as, booking, helper, customer
):
    client = browser_as(helper)
    too_early = client.post(f"/bookings/{booking.pk}/start")
    assert "Check-in opens 30 minutes before the start" in (
        client.get(too_early["Location"]).content.decode()
    )
    arrive(booking)
    started = client.post(f"/bookings/{booking.pk}/start")
    assert started["Location"] == f"/bookings/{booking.pk}"
    html = client.get(started["Location"]).content.decode()
    assert "Checked in. Good luck!" in html
    assert "Check out" in html
    done = client.post(f"/bookings/{booking.pk}/complete", {"next": "/helper/bookings"})
    assert done["Location"] == "/helper/bookings"
    booking.refresh_from_db()
    assert booking.state == "awaiting_sign_off"
    page = browser_as(customer, "de").get(f"/bookings/{booking.pk}").content.decode()
    assert "Bestätigen" in page
    as_customer = browser_as(customer)
    signed = as_customer.post(f"/bookings/{booking.pk}/sign-off")
    assert "Signed off. Thank you!" in as_customer.get(signed["Location"]).content.decode()
    booking.request.refresh_from_db()
    assert booking.request.state == "completed"


def test_the_customer_cannot_start_the_job(browser_as, booking, customer):
    client = browser_as(customer)
    response = client.post(f"/bookings/{booking.pk}/start")
    html = client.get(response["Location"]).content.decode()
    assert "Only the other party of this booking can do that." in html
    booking.request.refresh_from_db()
    assert booking.request.state == "booked"


def test_completing_before_starting_is_refused_kindly(browser_as, booking, helper):
    client = browser_as(helper)
    response = client.post(f"/bookings/{booking.pk}/complete")
    assert "no longer possible" in client.get(response["Location"]).content.decode()
    booking.request.refresh_from_db()
    assert booking.request.state == "booked"


def test_an_offsite_next_is_ignored(browser_as, booking, helper):
    response = browser_as(helper).post(
        f"/bookings/{booking.pk}/start", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/bookings/{booking.pk}"


def test_either_party_cancels_before_the_work_starts(browser_as, booking, customer):
    client = browser_as(customer)
    response = client.post(f"/bookings/{booking.pk}/cancel")
    assert "The booking is cancelled." in client.get(response["Location"]).content.decode()
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_after_completion_the_customer_rates_overall_and_per_skill(browser_as, completed, customer):
    client = browser_as(customer)
    page = client.get(f"/bookings/{completed.pk}").content.decode()
    assert "How did it go?" in page
    assert "In TV &amp; set-top box" in page
    response = client.post(
        f"/bookings/{completed.pk}/review", {"rating": "5", "skill_rating": "4", "text": "Super!"}
    )
    assert response["Location"] == f"/bookings/{completed.pk}"
    review = Review.objects.get()
    assert (review.rating, review.text, review.author_id) == (5, "Super!", customer.pk)
    # Blind: the skill rating waits, unscored, until the review is published.
    assert review.skill_ratings_given == {str(completed.request.skill_id): 4}
    assert not SkillRating.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for your review!" in html
    assert "Only you can see your review until the other side has written theirs" in html
    assert "How did it go?" not in html  # reviewed once
    assert "Super!" not in browser_as(completed.helper).get(response["Location"]).content.decode()


def test_the_reviewed_helper_replies_once_and_reports_in_german(
    browser_as, completed, customer, helper
):
    browser_as(customer).post(f"/bookings/{completed.pk}/review", {"rating": "2", "text": "Naja"})
    client = browser_as(helper, "de")
    client.post(f"/bookings/{completed.pk}/review", {"rating": "5"})  # both in: published
    review = Review.objects.get(author=customer)
    page = client.get(f"/bookings/{completed.pk}").content.decode()
    assert "Naja" in page
    assert "Antwort veröffentlichen" in page
    base = f"/bookings/{completed.pk}/reviews/{review.pk}"
    done = client.post(f"{base}/reply", {"text": "Der Stau, sorry."}, follow=True)
    html = done.content.decode()
    assert "Deine Antwort ist veröffentlicht." in html
    assert "Antwort veröffentlichen" not in html  # once only
    again = client.post(f"{base}/reply", {"text": "Nochmal"}, follow=True)
    assert "Du hast auf diese Bewertung schon geantwortet." in again.content.decode()
    profile = browser_as(None, "de").get(f"/helpers/{helper.pk}").content.decode()
    assert "Der Stau, sorry." in profile
    reported = client.post(f"{base}/report", {"reason": "Stimmt nicht"}, follow=True)
    assert "Danke. Unser Team schaut sich diese Bewertung an." in reported.content.decode()
    assert review.reports.get().reason == "Stimmt nicht"


def test_the_helper_rates_the_customer_overall_and_the_booking_closes(
    browser_as, completed, customer, helper
):
    browser_as(customer).post(f"/bookings/{completed.pk}/review", {"rating": "5"})
    client = browser_as(helper)
    assert "Rate the customer" in client.get(f"/bookings/{completed.pk}").content.decode()
    client.post(f"/bookings/{completed.pk}/review", {"rating": "4"})
    completed.request.refresh_from_db()
    assert completed.request.state == "closed"
    assert (
        'aria-current="step">Closed</li>'
        in client.get(f"/bookings/{completed.pk}").content.decode()
    )


def test_a_review_without_a_rating_is_refused(browser_as, completed, customer):
    response = browser_as(customer).post(f"/bookings/{completed.pk}/review", {"rating": "9"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Review.objects.exists()


def test_reviews_open_only_after_completion(browser_as, booking, customer):
    response = browser_as(customer).post(f"/bookings/{booking.pk}/review", {"rating": "5"})
    assert "Reviews open once the work is completed." in response.content.decode()
    assert not Review.objects.exists()


def test_reviewing_twice_is_refused(browser_as, completed, customer):
    client = browser_as(customer)
    client.post(f"/bookings/{completed.pk}/review", {"rating": "5"})
    again = client.post(f"/bookings/{completed.pk}/review", {"rating": "1"})
    assert "You have already reviewed this booking." in again.content.decode()
    assert Review.objects.get().rating == 5


def test_booking_page_in_german(browser_as, booking, helper):
    html = browser_as(helper, "de").get(f"/bookings/{booking.pk}").content.decode()
    assert "Einchecken" in html
    assert "90,00\xa0CHF" in html


def test_a_booking_the_helper_cancelled_shows_as_cancelled_while_the_job_is_dispatched_again(
    browser_as, booking, customer, helper
):
    client = browser_as(helper)
    client.post(f"/bookings/{booking.pk}/cancel")
    html = client.get(f"/bookings/{booking.pk}").content.decode()
    assert '<span class="badge state-cancelled">Cancelled</span>' in html
    assert "Waiting for offers" not in html  # the job's new dispatch is not this booking
    booking.request.refresh_from_db()
    assert booking.request.state == "requested"
    request_page = browser_as(customer).get(f"/requests/{booking.request_id}").content.decode()
    assert "Waiting for offers" in request_page
