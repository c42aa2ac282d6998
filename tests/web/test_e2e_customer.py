"""The customer's journey in real Chromium, in English (Switzerland) and German (Germany):
sign up, post a request with postcode suggestions, see the matched helper explained, book an
offer, and review the finished job overall and per skill."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartier.bookings.services import offer_create
from quartier.jobs.models import JobRequest
from quartier.reviews.models import Review, SkillRating
from tests.factories import make_helper, play_visit
from tests.web.conftest import DESKTOP, PHONE
from tests.web.journeys import (
    MARKETS,
    WORDS,
    choose_language,
    confirm_email,
    header,
    nav_link,
    pick_postcode,
    sign_up,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["en", "de"])
def test_customer_posts_books_and_reviews(page_in, shoot, language):
    market, words = MARKETS[language], WORDS[language]
    helper = make_helper(
        email="hanna@example.com",
        full_name="Hanna Hilfreich",
        country=market.country,
        postcode=market.helper_postcode,
    )
    page = page_in(language, PHONE if language == "en" else DESKTOP)
    choose_language(page, language)
    shoot(page, f"{language}-customer-1-home")

    sign_up(page, language, name="Eva Beispiel", email="eva@example.com")
    confirm_email(page, language, "eva@example.com")  # the link e-mailed at sign-up
    page.get_by_label(words["skill"]).select_option("tv-set-top-box")
    page.get_by_label(words["title"]).fill("TV box shows no picture")
    page.get_by_label(words["country"]).select_option(market.country)
    pick_postcode(page, words["postcode"], market, market.request_postcode)
    page.get_by_label(words["street"]).fill(market.street)
    page.get_by_label(words["budget"]).fill("120")
    shoot(page, f"{language}-customer-2-post-request")
    page.get_by_role("button", name=words["post"]).click()

    page.get_by_text("Hanna Hilfreich").wait_for()
    explanation = page.locator(".explanation").first.inner_text()
    assert words["km"] in explanation
    shoot(page, f"{language}-customer-3-matches")
    job = JobRequest.objects.get()
    assert (job.postcode, job.budget_minor) == (market.request_postcode, 12000)

    start = job.window_start + timedelta(hours=1)
    offer_create(
        actor=helper,
        request_id=job.pk,
        price_minor=9000,
        proposed_start=start,
        proposed_end=start + timedelta(hours=2),
        message="I bring an HDMI cable.",
    )
    page.reload()
    page.get_by_role("button", name=words["book"]).click()
    page.get_by_role("heading", name=words["checkout"]).wait_for()  # the checkout step
    assert market.ninety in page.locator("main").inner_text().replace("\xa0", " ")
    shoot(page, f"{language}-customer-4a-checkout")
    page.get_by_role("button", name=words["book"]).click()
    page.get_by_text(words["booked"]).wait_for()
    main = page.locator("main").inner_text()
    assert market.street in main
    assert market.ninety in main.replace("\xa0", " ")
    shoot(page, f"{language}-customer-4-booked")

    booking = job.bookings.get()
    play_visit(booking.pk, until="checked_out")  # the helper came and checked out
    page.reload()
    page.get_by_role("button", name=words["sign off"]).click()  # one tap
    page.get_by_text(words["signed off"]).wait_for()
    shoot(page, f"{language}-customer-5a-signed-off")
    page.locator('input[name="rating"][value="5"]').check()
    page.locator('input[name="skill_rating"][value="4"]').check()
    page.get_by_label(words["text"]).fill("Quick and friendly.")
    shoot(page, f"{language}-customer-5-review")
    page.get_by_role("button", name=words["send review"]).click()
    page.get_by_text(words["review sent"]).wait_for()
    shoot(page, f"{language}-customer-6-reviewed")

    review = Review.objects.get()
    assert (review.rating, review.text, review.subject_id) == (5, "Quick and friendly.", helper.pk)
    # Blind until the helper reviews too (or 14 days pass): the skill rating waits unscored.
    assert review.skill_ratings_given == {str(review.booking.request.skill_id): 4}
    assert not SkillRating.objects.filter(review=review).exists()

    with page.expect_navigation():
        header(page).get_by_role("button", name=words["log out"]).click()
    nav_link(page, words["sign up"]).wait_for()
