"""A helper with nothing in the inbox learns what to do next (in German), and the weekly
hours page leads to absences and copies Monday to every day."""

from __future__ import annotations

import pytest

from quartier.accounts.models import HelperProfile
from tests.factories import make_helper

pytestmark = pytest.mark.django_db


def test_an_empty_inbox_offers_next_steps_in_german(browser_as):
    helper = make_helper(email="tom@example.com", radius_km=7)

    page = browser_as(helper, language="de").get("/helper/inbox").content.decode()

    assert "Gerade gibt es keine offenen Anfragen" in page
    assert "Vergrößere deinen Einsatzradius (jetzt 7 km)" in page
    assert "Füge Fähigkeiten hinzu (du bietest 1 an)" in page
    assert 'href="/helper/absences"' in page


def test_a_paused_helper_is_told_why_nothing_comes(browser_as):
    helper = make_helper(email="tom@example.com")
    HelperProfile.objects.filter(user=helper).update(is_available=False)

    page = browser_as(helper, language="en").get("/helper/inbox").content.decode()

    assert "Your profile is paused, suspended or waiting for the contractor terms." in page


def test_absences_are_reachable_from_the_top_of_the_hours_page(browser_as):
    helper = make_helper(email="tom@example.com")
    page = browser_as(helper, language="de").get("/helper/availability").content.decode()
    assert page.index('href="/helper/absences"') < page.index('name="d0_0_start"')
