"""A customer becomes a helper on the same account, in real Chromium, on a phone, in German:
settings → "Helfer*in werden" → the helper onboarding (profile with contractor terms,
skills, hours) → a helper, whose earlier request is still theirs."""

from __future__ import annotations

import pytest

from quartier.accounts.models import HelperProfile, User
from quartier.catalog.models import HelperSkill
from tests.factories import make_customer
from tests.web.conftest import PHONE
from tests.web.journeys import (
    MARKETS,
    WORDS,
    choose_language,
    log_in,
    nav_link,
    pick_postcode,
    post_request,
)

pytestmark = pytest.mark.e2e


def test_a_customer_becomes_a_helper_from_the_settings(page_in, shoot):
    market, words = MARKETS["de"], WORDS["de"]
    customer = make_customer(email="clara@example.com", full_name="Clara Kundin")
    own_request = post_request(customer, market, "Regal aufhängen")
    page = page_in("de", PHONE)
    choose_language(page, "de")
    log_in(page, customer.email, "Anmelden")

    nav_link(page, "Einstellungen").click()
    page.get_by_role("heading", name="Konto-Einstellungen").wait_for()
    shoot(page, "de-become-helper-1-settings")
    page.get_by_role("button", name="Helfer*in werden").click()

    page.get_by_text("Willkommen als Helfer*in!").wait_for()
    page.get_by_label(words["country"]).select_option(market.country)
    pick_postcode(page, words["your postcode"], market, market.helper_postcode)
    page.get_by_label(words["radius"]).fill("10")
    page.get_by_label(words["rate"]).fill("40")
    page.get_by_role("checkbox", name=words["terms"]).check()
    shoot(page, "de-become-helper-2-onboarding")
    page.get_by_role("button", name=words["continue"]).click()

    page.locator("#id_skill_tv-set-top-box").select_option("experienced")
    page.get_by_role("button", name=words["continue"]).click()
    page.locator("#id_d0_0_start").fill("08:00")
    page.locator("#id_d0_0_end").fill("18:00")
    page.get_by_role("button", name=words["save hours"]).click()
    nav_link(page, "Meine Aufträge").wait_for()  # the helper's menu is there now
    shoot(page, "de-become-helper-3-helper")

    clara = User.objects.get(pk=customer.pk)
    assert clara.roles == ["customer", "helper"]
    assert User.objects.filter(email__iexact="clara@example.com").count() == 1
    profile = HelperProfile.objects.get(user=clara)
    assert profile.contractor_terms_accepted_at is not None
    assert HelperSkill.objects.filter(helper=clara).count() == 1
    own_request.refresh_from_db()
    assert own_request.customer_id == clara.pk  # still her request, on the same account
