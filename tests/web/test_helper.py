"""The helper's pages: onboarding (profile, skills, hours), inbox and offers, why (not)
matched, jobs with Start / Complete, and earnings."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from quartier.accounts.models import HelperProfile
from quartier.bookings.availability import weekly_slots_set
from quartier.bookings.models import Offer, WeeklySlot
from quartier.catalog.models import HelperSkill
from quartier.events import outbox
from tests.factories import UserFactory, arrive, make_booking, make_helper, make_request, play_visit

pytestmark = pytest.mark.django_db

PROFILE = {
    "country": "CH",
    "postcode": "8003",
    "service_radius_km": "12",
    "hourly_rate": "45.50",
    "languages": ["de", "en"],
    "bio": "Ich helfe gern.",
    "accept_contractor_terms": "on",
}


@pytest.fixture
def newcomer(db):
    """A helper who just signed up: no profile, no skills."""
    return UserFactory(email="neu@example.com", full_name="Nina Neu", is_helper=True)


def test_onboarding_saves_the_profile_with_the_contractor_terms(browser_as, newcomer):
    client = browser_as(newcomer)
    page = client.get("/helper/onboarding").content.decode()
    assert "Contractor terms, in short" in page
    assert 'aria-current="step"' in page
    response = client.post("/helper/onboarding", PROFILE)
    assert response["Location"] == "/helper/skills"
    profile = HelperProfile.objects.get(user=newcomer)
    assert (profile.postcode, profile.locality, profile.currency) == ("8003", "Zürich", "CHF")
    assert profile.hourly_rate_minor == 4550
    assert profile.languages == ["de", "en"]
    assert profile.contractor_terms_accepted_at is not None
    again = client.get("/helper/onboarding").content.decode()
    assert "You confirmed the contractor terms on" in again
    assert 'value="45.50"' in again
    assert 'name="accept_contractor_terms"' not in again


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"accept_contractor_terms": ""}, "Please confirm the contractor terms"),
        ({"postcode": "8999"}, "We do not know this postcode."),
        ({"service_radius_km": "500"}, "Ensure this value is less than or equal to 100."),
        ({"hourly_rate": "0"}, "Ensure this value is greater than or equal to 0.05."),
        ({"hourly_rate": "abc"}, "Enter a number."),
    ],
)
def test_bad_profiles_explain_what_to_fix_and_save_nothing(browser_as, newcomer, change, message):
    response = browser_as(newcomer).post("/helper/onboarding", PROFILE | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HelperProfile.objects.filter(user=newcomer).exists()


def test_skills_are_chosen_with_levels(browser_as, helper):
    client = browser_as(helper)
    page = client.get("/helper/skills").content.decode()
    assert '<option value="experienced" selected>Experienced</option>' in page
    response = client.post(
        "/helper/skills", {"skill_tv-set-top-box": "expert", "skill_cleaning": "basic"}
    )
    assert response["Location"] == "/helper/availability"
    chosen = dict(HelperSkill.objects.filter(helper=helper).values_list("skill__slug", "level"))
    assert chosen == {"tv-set-top-box": "expert", "cleaning": "basic"}


def test_no_skill_at_all_is_refused_and_keeps_the_old_ones(browser_as, helper):
    response = browser_as(helper).post("/helper/skills", {})
    assert "Choose at least one skill you offer." in response.content.decode()
    assert HelperSkill.objects.filter(helper=helper).count() == 2


def test_weekly_hours_are_saved_and_shown_again(browser_as, helper):
    client = browser_as(helper)
    response = client.post(
        "/helper/availability",
        {
            "d0_0_start": "08:00",
            "d0_0_end": "12:00",
            "d0_1_start": "13:30",
            "d0_1_end": "18:00",
            "d5_0_start": "09:00",
            "d5_0_end": "00:00",
        },
    )
    assert response["Location"] == "/helper/inbox"
    slots = list(
        WeeklySlot.objects.filter(helper=helper).values_list("weekday", "start_time", "end_time")
    )
    assert slots == [
        (0, time(8), time(12)),
        (0, time(13, 30), time(18)),
        (5, time(9), time(0)),
    ]
    page = client.get("/helper/availability").content.decode()
    assert 'name="d0_1_start" value="13:30"' in page
    assert "<legend>Monday</legend>" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"d1_0_start": "08:00"}, "d1_0_end", "Give both the start and the end."),
        (
            {"d1_0_start": "08:15", "d1_0_end": "12:00"},
            "d1_0_start",
            "on the hour or the half hour",
        ),
        (
            {"d1_0_start": "12:00", "d1_0_end": "08:00"},
            "d1_0_end",
            "A slot must end after it starts.",
        ),
    ],
)
def test_bad_hours_are_shown_on_their_field_and_change_nothing(
    browser_as, helper, data, field, message
):
    weekly_slots_set(actor=helper, slots=[(2, time(9), time(17))])
    html = browser_as(helper).post("/helper/availability", data).content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert list(WeeklySlot.objects.filter(helper=helper).values_list("weekday", flat=True)) == [2]


def test_the_inbox_shows_open_requests_nearby_without_the_address(browser_as, helper, customer):
    job = make_request(customer, budget_minor=12000)
    far = make_request(customer, postcode="3011", title="Far away in Bern")
    html = browser_as(helper).get("/helper/inbox").content.decode()
    assert job.title in html
    assert far.title not in html
    assert re.search(r"Zürich · about \d+\.[05] km away", html)  # approximate, not exact
    assert "Badenerstrasse" not in html
    assert "Anna" in html
    assert "Muster" not in html
    assert "CHF\xa0120.00" in html
    assert f'href="/helper/requests/{job.pk}"' in html


def test_making_an_offer(browser_as, helper, customer):
    job = make_request(customer)
    client = browser_as(helper)
    page = client.get(f"/helper/requests/{job.pk}").content.decode()
    assert "Make an offer" in page
    assert "Badenerstrasse" not in page
    start = timezone.localtime(job.window_start) + timedelta(hours=1)
    response = client.post(
        f"/helper/requests/{job.pk}",
        {
            "price": "90",
            "proposed_start": start.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "message": "Bring the remote.",
        },
    )
    assert response["Location"] == f"/helper/requests/{job.pk}"
    offer = Offer.objects.get()
    assert (offer.price_minor, offer.message, offer.helper_id) == (
        9000,
        "Bring the remote.",
        helper.pk,
    )
    html = client.get(response["Location"]).content.decode()
    assert "Your offer is sent to the customer." in html
    assert "CHF\xa090.00" in html
    assert "You offered" in client.get("/helper/inbox").content.decode()


def test_an_offer_outside_the_window_is_refused(browser_as, helper, customer):
    job = make_request(customer)
    late = timezone.localtime(job.window_end) + timedelta(hours=1)
    response = browser_as(helper).post(
        f"/helper/requests/{job.pk}",
        {
            "price": "90",
            "proposed_start": late.strftime("%Y-%m-%dT%H:%M"),
            "proposed_end": (late + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    html = response.content.decode()
    assert "The proposed time must lie in the request&#x27;s window." in html
    assert not Offer.objects.exists()


def test_a_helper_who_cannot_serve_a_request_does_not_see_it(browser_as, customer):
    far = make_helper(email="bern@example.com", postcode="3011", radius_km=5)
    job = make_request(customer)
    client = browser_as(far)
    assert client.get(f"/helper/requests/{job.pk}").status_code == 404
    assert client.get(f"/helper/requests/{job.pk}/why-not").status_code == 404
    assert client.post(f"/helper/requests/{job.pk}", {"price": "1"}).status_code == 404
    assert not Offer.objects.exists()


def test_why_not_says_matched_or_the_reason(browser_as, helper, customer):
    job = make_request(customer)
    client = browser_as(helper)
    assert "You are matched" in client.get(f"/helper/requests/{job.pk}/why-not").content.decode()
    weekday = (timezone.localtime(job.window_start).weekday() + 3) % 7  # never that day
    weekly_slots_set(actor=helper, slots=[(weekday, time(8), time(9))])
    html = client.get(f"/helper/requests/{job.pk}/why-not").content.decode()
    assert "Your weekly hours, holidays or bookings leave no free hour." in html
    german = browser_as(helper, "de").get(f"/helper/requests/{job.pk}/why-not").content.decode()
    assert "Deine Wochenzeiten, Abwesenheiten oder Buchungen lassen keine freie Stunde." in german


def test_my_jobs_have_start_and_complete_buttons(browser_as, booking, helper):
    client = browser_as(helper)
    arrive(booking)
    html = client.get("/helper/bookings").content.decode()
    assert f'action="/bookings/{booking.pk}/start"' in html
    assert "Badenerstrasse 12" in html  # booked: the address is shown
    client.post(f"/bookings/{booking.pk}/start", {"next": "/helper/bookings"})
    html = client.get("/helper/bookings").content.decode()
    assert f'action="/bookings/{booking.pk}/complete"' in html


def test_earnings_show_the_month_from_the_ledger_with_each_booking(browser_as, customer, helper):
    done = []
    for days in (2, 3):
        booking = make_booking(customer, helper, days=days)
        play_visit(booking.pk)
        done.append(booking)
    make_booking(customer, helper, days=5)  # booked, not done: not earned yet
    outbox.events_deliver()

    html = browser_as(helper).get("/helper/earnings").content.decode()
    assert "<dt>Jobs</dt><dd>2</dd>" in html
    assert "CHF\xa0180.00" in html  # gross of two 90.00 jobs
    assert "You owe Quartier CHF\xa027.00" in html  # 15 % commission of each
    assert "CHF\xa0153.00" in html  # net
    for booking in done:
        assert f'href="/bookings/{booking.pk}"' in html
    assert html.count("Bank transfer") == 2
    german = browser_as(helper, "de").get("/helper/earnings").content.decode()
    assert "Einnahmen" in german
    assert "180,00\xa0CHF" in german
    assert "Du schuldest Quartier 27,00\xa0CHF" in german
    swiss = browser_as(helper, "de-ch").get("/helper/earnings").content.decode()
    assert "CHF\xa0180.00" in swiss


def test_earnings_switch_to_the_year_and_download_csv(browser_as, customer, helper):
    booking = make_booking(customer, helper, days=2)
    play_visit(booking.pk)
    outbox.events_deliver()
    year = timezone.localdate().year
    client = browser_as(helper)

    whole = client.get(f"/helper/earnings?year={year}&month=").content.decode()
    assert f"<h2>{year}</h2>" in whole
    assert "CHF\xa090.00" in whole
    before = client.get(f"/helper/earnings?year={year - 1}").content.decode()
    assert "Nothing booked in this period." in before

    csv = client.get(f"/helper/earnings?year={year}&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert f",{booking.pk},transfer,CHF,90.00," in csv.content.decode()


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "year=2026&month=13"])
def test_earnings_of_an_unreadable_period_say_so_and_show_this_month(browser_as, helper, query):
    html = browser_as(helper).get(f"/helper/earnings?{query}").content.decode()
    assert "Choose a month and a year from the list." in html
    assert timezone.localdate().strftime("%B %Y") in html


def test_earnings_are_empty_for_a_new_helper(browser_as, helper):
    html = browser_as(helper).get("/helper/earnings").content.decode()
    assert "Nothing booked in this period." in html
