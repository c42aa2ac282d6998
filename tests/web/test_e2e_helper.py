"""The helper's journey in real Chromium, in English (Switzerland) and German (Germany):
sign up, onboarding (profile with contractor terms, skills, weekly hours), the inbox, an
offer, why (not) matched, starting and completing the booked job, and the earnings."""

from __future__ import annotations

import pytest

from quartier.accounts.models import HelperProfile
from quartier.bookings.models import Offer, WeeklySlot
from quartier.bookings.services import offer_accept
from quartier.catalog.models import HelperSkill
from quartier.events import outbox
from tests.factories import arrive, make_customer, sign_off
from tests.web.conftest import DESKTOP, PHONE
from tests.web.journeys import (
    MARKETS,
    WORDS,
    choose_language,
    nav_link,
    pick_postcode,
    post_request,
    sign_up,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["en", "de"])
def test_helper_onboards_offers_works_and_earns(page_in, shoot, language):
    market, words = MARKETS[language], WORDS[language]
    customer = make_customer(email="anna@example.com", full_name="Anna Muster")
    job = post_request(customer, market, "TV box shows no picture")
    page = page_in(language, DESKTOP if language == "en" else PHONE)
    choose_language(page, language)

    sign_up(page, language, name="Tom Helfer", email="tom@example.com", helper=True)
    page.get_by_label(words["country"]).select_option(market.country)
    pick_postcode(page, words["your postcode"], market, market.helper_postcode)
    page.get_by_label(words["radius"]).fill("10")
    page.get_by_label(words["rate"]).fill("45")
    page.get_by_role("checkbox", name="English", exact=True).check()
    page.get_by_label(words["bio"]).fill("Telecom technician, happy to help.")
    page.get_by_role("checkbox", name=words["terms"]).check()
    shoot(page, f"{language}-helper-1-profile")
    page.get_by_role("button", name=words["continue"]).click()

    page.locator("#id_skill_tv-set-top-box").select_option("expert")
    page.locator("#id_skill_internet-wlan").select_option("experienced")
    shoot(page, f"{language}-helper-2-skills")
    page.get_by_role("button", name=words["continue"]).click()

    for weekday in range(7):
        page.locator(f"#id_d{weekday}_0_start").fill("08:00")
        page.locator(f"#id_d{weekday}_0_end").fill("18:00")
    shoot(page, f"{language}-helper-3-hours")
    page.get_by_role("button", name=words["save hours"]).click()

    profile = HelperProfile.objects.get(user__email="tom@example.com")
    assert profile.contractor_terms_accepted_at is not None
    assert profile.currency == ("CHF" if market.country == "CH" else "EUR")
    assert HelperSkill.objects.filter(helper=profile.user).count() == 2
    assert WeeklySlot.objects.filter(helper=profile.user).count() == 7

    # The inbox: the request nearby, its place but not its street.
    page.get_by_role("link", name=job.title).wait_for()
    main = page.locator("main").inner_text()
    assert market.locality in main
    assert market.street not in main
    shoot(page, f"{language}-helper-4-inbox")
    page.get_by_role("link", name=words["make offer"]).click()
    page.get_by_label(words["price"]).fill("90")
    shoot(page, f"{language}-helper-5-offer")
    page.get_by_role("button", name=words["send offer"]).click()
    page.get_by_text(words["offer sent"]).wait_for()
    offer = Offer.objects.get()
    assert (offer.price_minor, offer.helper_id) == (9000, profile.user_id)

    page.get_by_role("link", name=words["why"]).click()
    page.get_by_text(words["matched"]).wait_for()
    shoot(page, f"{language}-helper-6-why-not")

    arrive(offer_accept(actor=customer, offer_id=offer.pk))  # booked for now: Tom is there
    nav_link(page, words["my jobs"]).click()
    assert market.street in page.locator("main").inner_text()  # booked: the address
    shoot(page, f"{language}-helper-7-jobs")
    page.get_by_role("button", name=words["start"]).click()
    page.get_by_role("button", name=words["done"]).click()
    page.get_by_text(words["marked done"]).wait_for()
    job.refresh_from_db()
    assert job.state == "in_progress"  # until the customer signs off
    sign_off(job.bookings.get())
    job.refresh_from_db()
    assert job.state == "completed"

    outbox.events_deliver()  # the worker books the settled job in the ledger
    nav_link(page, words["earnings"]).click()
    earnings = page.locator("main").inner_text().replace("\xa0", " ")
    assert market.ninety in earnings
    shoot(page, f"{language}-helper-8-earnings")
