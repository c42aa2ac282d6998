"""Prices per skill: a helper's own hourly rate and fixed price for a skill, shown to
customers wherever the helper's price is."""

from __future__ import annotations

import pytest

from quartier.catalog.models import HelperSkill
from tests.conftest import Api
from tests.factories import make_helper, make_request

pytestmark = pytest.mark.django_db


def test_a_helper_sets_a_skills_prices_and_customers_see_them(customer, helper):
    answer = Api(helper).put(
        "/me/skills/tv-set-top-box/prices",
        {"hourly_rate_minor": 6000, "fixed_price_minor": 11000, "fixed_duration_minutes": 90},
    )
    assert answer.status_code == 200, answer.data
    skills = {s["skill"]: s for s in Api().get(f"/helpers/{helper.pk}").data["skills"]}
    assert skills["tv-set-top-box"]["hourly_rate_minor"] == 6000
    assert skills["tv-set-top-box"]["fixed_price_minor"] == 11000
    assert skills["internet-wlan"]["hourly_rate_minor"] == 4500  # the profile's rate
    assert skills["internet-wlan"]["own_rate"] is False
    job = make_request(customer)
    (match,) = Api(customer).get(f"/requests/{job.pk}/matches").data
    assert (match["hourly_rate_minor"], match["fixed_price_minor"]) == (6000, 11000)


def test_the_directory_shows_and_filters_by_the_skills_rate(helper):
    cheap = make_helper(email="cheap@example.com", postcode="8004", rate_minor=9000)
    Api(cheap).put("/me/skills/tv-set-top-box/prices", {"hourly_rate_minor": 3000})
    found = Api().get("/helpers?skill=tv-set-top-box&max_rate_minor=4000&sort=price").data
    assert [(h["helper_id"], h["hourly_rate_minor"]) for h in found] == [(cheap.pk, 3000)]
    everyone = Api().get("/helpers?skill=tv-set-top-box&sort=price").data
    assert [h["helper_id"] for h in everyone] == [cheap.pk, helper.pk]


def test_bad_prices_are_refused_and_change_nothing(helper):
    bad = Api(helper).put("/me/skills/tv-set-top-box/prices", {"fixed_price_minor": 0})
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    assert "fixed_price_minor" in bad.data["errors"]
    not_offered = Api(helper).put("/me/skills/gardening/prices", {"hourly_rate_minor": 5000})
    assert not_offered.status_code == 422
    assert not_offered.data["code"] == "skill_not_offered"
    assert not HelperSkill.objects.filter(fixed_price_minor__isnull=False).exists()
    assert not HelperSkill.objects.filter(hourly_rate_minor__isnull=False).exists()
