"""Choosing a helper on the web: invite from the match list or a profile, Book now, Book
again, favourites, the helper's answer and their prices per skill."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import Booking, Offer
from quartier.catalog.models import HelperSkill
from quartier.catalog.services import helper_skill_prices_set
from quartier.dispatch.models import Invitation
from quartier.favourites.models import Favourite
from quartier.jobs.models import JobRequest
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def local_minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def with_fixed_price(helper, price=12000):
    helper_skill_prices_set(
        actor=helper,
        skill="tv-set-top-box",
        hourly_rate_minor=5200,
        fixed_price_minor=price,
        fixed_duration_minutes=60,
    )


def test_the_customer_invites_a_matched_helper_who_accepts_at_their_price(
    browser_as, customer, helper
):
    with_fixed_price(helper)
    job = make_request(customer)
    page = browser_as(customer).get(f"/requests/{job.pk}").content.decode()
    assert "Hourly rate: CHF\u00a052.00" in page  # the skill's own rate, not the profile's
    assert "Book now for CHF\u00a0120.00" in page
    invited = browser_as(customer).post(
        f"/requests/{job.pk}/invite", {"helper_id": helper.pk}, follow=True
    )
    assert "is invited and will answer you here" in invited.content.decode()
    assert "Invited: waiting for an answer" in invited.content.decode()

    inbox = browser_as(helper).get("/helper/inbox").content.decode()
    assert "The customer chose you" in inbox
    assert "Accept for CHF\u00a0120.00" in inbox
    invitation = Invitation.objects.get(helper=helper, dispatch__request=job)
    answered = browser_as(helper).post(f"/helper/invitations/{invitation.pk}/offer", follow=True)
    assert "Your offer is sent to the customer." in answered.content.decode()
    assert Offer.objects.get(request=job, helper=helper).price_minor == 12000
    page = browser_as(customer).get(f"/requests/{job.pk}").content.decode()
    assert "Answered with an offer" in page


def test_book_now_goes_through_the_checkout_and_a_busy_time_is_refused_kindly(
    browser_as, customer, helper
):
    with_fixed_price(helper)
    job = make_request(customer)
    start = job.window_start + timedelta(hours=1)
    other = make_request(customer, title="The other TV")
    browser = browser_as(customer)
    taken = browser.post(
        f"/requests/{other.pk}/book-now", {"helper_id": helper.pk, "starts_at": local_minute(start)}
    )
    browser.post(taken["Location"], {"payment_method": "transfer"})
    assert Booking.objects.filter(request=other).exists()
    refused = browser.post(
        f"/requests/{job.pk}/book-now",
        {"helper_id": helper.pk, "starts_at": local_minute(start)},
        follow=True,
    )
    assert "not available at that time" in refused.content.decode()
    assert not Offer.objects.filter(request=job).exists()

    chosen = {"helper_id": helper.pk, "starts_at": local_minute(start + timedelta(hours=2))}
    checkout = browser.post(f"/requests/{job.pk}/book-now", chosen, follow=True)
    # Nothing is booked before the customer has seen the checkout and pressed its button.
    page = checkout.content.decode()
    assert not Booking.objects.filter(request=job).exists()
    assert "120.00" in page
    assert 'name="payment_method"' in page
    # Back from the checkout and again: the same offer, not a second one.
    again = browser.post(f"/requests/{job.pk}/book-now", chosen)
    assert again["Location"] == checkout.redirect_chain[-1][0]
    booked = browser.post(again["Location"], {"payment_method": "cash"}, follow=True)
    assert "Booked!" in booked.content.decode()
    booking = Booking.objects.get(request=job)
    assert (booking.price_minor, booking.payment_method) == (12000, "cash")


def test_a_stranger_cannot_invite_to_someone_elses_request(browser_as, customer, helper, stranger):
    job = make_request(customer)
    answer = browser_as(stranger).post(f"/requests/{job.pk}/invite", {"helper_id": helper.pk})
    assert answer.status_code == 404
    assert not Invitation.objects.filter(source="direct").exists()


def test_asking_from_the_profile_posts_a_request_for_that_helper_alone(
    browser_as, customer, helper
):
    profile = browser_as(customer).get(f"/helpers/{helper.pk}").content.decode()
    assert f'href="/helpers/{helper.pk}/ask"' in profile
    ask = browser_as(customer).get(f"/helpers/{helper.pk}/ask").content.decode()
    assert f"/requests/new?helper={helper.pk}" in ask
    form = browser_as(customer).get(f"/requests/new?helper={helper.pk}").content.decode()
    assert "Your request goes to Hans" in form or "alone" in form
    start = timezone.localtime() + timedelta(days=3)
    posted = browser_as(customer).post(
        "/requests/new",
        {
            "helper": str(helper.pk),
            "skill": "tv-set-top-box",
            "title": "Mount the TV box",
            "country": "CH",
            "postcode": "8004",
            "street_address": "Badenerstrasse 12",
            "window_start": start.strftime("%Y-%m-%dT09:00"),
            "window_end": start.strftime("%Y-%m-%dT17:00"),
        },
        follow=True,
    )
    assert "Your request is sent to" in posted.content.decode()
    job = JobRequest.objects.get(title="Mount the TV box")
    assert list(
        Invitation.objects.filter(dispatch__request=job).values_list("helper", flat=True)
    ) == [helper.pk]


def test_book_again_fills_the_form_from_the_completed_job(browser_as, customer, completed):
    page = browser_as(customer).get(f"/bookings/{completed.pk}").content.decode()
    assert f"/bookings/{completed.pk}/again" in page
    form = browser_as(customer).get(f"/bookings/{completed.pk}/again", follow=True)
    html = form.content.decode()
    assert "Badenerstrasse 12" in html
    assert "TV box shows no picture" in html
    assert f'name="helper" value="{completed.helper_id}"' in html


def test_a_chosen_helper_with_a_fixed_price_can_be_booked_from_the_invited_list(
    browser_as, customer, helper
):
    with_fixed_price(helper, price=8000)
    job = make_request(customer)
    browser_as(customer).post(f"/requests/{job.pk}/invite", {"helper_id": helper.pk})
    page = browser_as(customer).get(f"/requests/{job.pk}").content.decode()
    assert f'id="invited-starts-{helper.pk}"' in page
    start = job.window_start + timedelta(hours=4)
    checkout = browser_as(customer).post(
        f"/requests/{job.pk}/book-now", {"helper_id": helper.pk, "starts_at": local_minute(start)}
    )
    browser_as(customer).post(checkout["Location"], {"payment_method": "transfer"})
    assert Booking.objects.get(request=job).starts_at == start
    assert Invitation.objects.get(helper=helper, dispatch__request=job).status == "accepted"


def test_favourites_are_marked_in_matches_and_listed_in_german(browser_as, customer, helper):
    job = make_request(customer)
    browser_as(customer).post(f"/favourites/{helper.pk}", {"next": f"/requests/{job.pk}"})
    assert Favourite.objects.filter(customer=customer, helper=helper).exists()
    page = browser_as(customer, "de").get(f"/requests/{job.pk}").content.decode()
    assert "♥ Favorit" in page
    assert "Aus Favoriten entfernen" in page
    listed = browser_as(customer, "de").get("/favourites").content.decode()
    assert "Favorisierte Helfer:innen" in listed
    assert helper.full_name in listed
    browser_as(customer).post(f"/favourites/{helper.pk}")
    assert not Favourite.objects.exists()


def test_a_helper_sets_prices_per_skill_on_the_skills_page(browser_as, helper):
    page = browser_as(helper, "de").get("/helper/skills").content.decode()
    assert "Deine Preise pro Skill" in page
    saved = browser_as(helper).post(
        "/helper/skills/tv-set-top-box/prices",
        {
            "tv-set-top-box-hourly_rate": "55",
            "tv-set-top-box-fixed_price": "99.50",
            "tv-set-top-box-fixed_minutes": "90",
        },
        follow=True,
    )
    assert "Your prices are saved." in saved.content.decode()
    offered = HelperSkill.objects.get(helper=helper, skill__slug="tv-set-top-box")
    assert (offered.hourly_rate_minor, offered.fixed_price_minor) == (5500, 9950)
    assert offered.fixed_duration_minutes == 90
    profile = browser_as(None).get(f"/helpers/{helper.pk}").content.decode()
    assert "Fixed price: CHF\u00a099.50" in profile
