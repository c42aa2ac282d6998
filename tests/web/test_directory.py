"""The directory in the browser: search form, results, a helper's public profile."""

from __future__ import annotations

import pytest

from tests.factories import make_helper

pytestmark = pytest.mark.django_db


def test_search_and_open_a_public_profile_without_logging_in(browser_as):
    helper = make_helper(
        email="lea@example.com", full_name="Lea Müller", postcode="4051", skills=["cleaning"]
    )
    client = browser_as(None, "de")
    page = client.get("/helpers?q=reinigung&country=CH&postcode=4051&within_km=5").content.decode()
    assert "1 Helfer" in page or "1 helper" in page
    assert f'href="/helpers/{helper.pk}"' in page
    profile = client.get(f"/helpers/{helper.pk}").content.decode()
    assert "Lea Müller" in profile
    assert "Reinigung" in profile
    assert "lea@example.com" not in profile  # no contact details in public


def test_an_unknown_postcode_is_a_form_error(browser_as):
    page = browser_as(None, "en").get("/helpers?country=CH&postcode=0000").content.decode()
    assert "invalid" in page
    assert "We do not know this postcode" in page
