"""The service-area map on the helper's profile page, and its live preview."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_profile_page_draws_the_radius_and_the_places_inside(browser_as, helper):
    page = browser_as(helper, "en").get("/helper/onboarding").content.decode()
    assert "Your service area: 10 km around Zürich" in page
    inside = re.search(r"10 km around Zürich: (\d+) places", page)
    assert inside
    assert int(inside.group(1)) >= 5  # Zürich's neighbours within 10 km
    assert page.count('class="in"') >= int(inside.group(1))  # a dot per postcode inside
    assert 'class="out"' in page  # postcodes beyond the radius are drawn, greyed
    assert page.count("<text") >= 4  # a few places named, besides the home


def test_the_preview_follows_postcode_and_radius_before_saving(browser_as, helper):
    client = browser_as(helper, "en")
    small = client.get("/helper/area-preview?country=CH&postcode=3011&service_radius_km=3")
    large = client.get("/helper/area-preview?country=CH&postcode=3011&service_radius_km=30")
    assert "3 km around Bern" in small.content.decode()
    count = lambda html: html.count('class="in"')  # noqa: E731
    assert count(large.content.decode()) > count(small.content.decode()) > 0
    unknown = client.get("/helper/area-preview?country=CH&postcode=0000&service_radius_km=3")
    assert unknown.status_code == 200
    assert "<svg" not in unknown.content.decode()


def test_the_map_draws_the_circle_around_the_home_in_german_too(browser_as, helper):
    """SVG coordinates must not follow the locale's decimal comma ("160,0")."""
    page = browser_as(helper, "de").get("/helper/onboarding").content.decode()
    assert 'class="reach"' in page
    circle = re.search(r'<circle cx="([^"]+)" cy="([^"]+)" r="([^"]+)" class="reach"', page)
    assert circle
    assert circle.groups()[:2] == ("160.0", "160.0")
    assert "," not in circle.group(3)
