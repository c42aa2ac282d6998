"""Phone-first details in real Chromium: the header's links fold behind a menu button instead
of filling a third of the screen, the focus ring is visible (3:1), a failed submit puts the
focus on what to fix, and weekly hours are copied from Monday with one tap."""

from __future__ import annotations

import re

import pytest

from quartier.bookings.models import WeeklySlot
from tests.factories import make_helper
from tests.web.conftest import DESKTOP, PHONE
from tests.web.journeys import header, log_in

pytestmark = pytest.mark.e2e


def _luminance(css: str) -> float:
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_helpers_header_folds_into_a_menu_on_a_phone(page_in):
    helper = make_helper(email="tom@example.com", full_name="Tom Helfer")
    page = page_in("de", PHONE)
    log_in(page, helper.email, "Anmelden")

    bar = page.locator("header.site-header").bounding_box()
    assert bar is not None
    assert bar["height"] <= 0.12 * PHONE["height"], bar  # it was about a third
    jobs = page.locator("header nav").get_by_role("link", name="Meine Aufträge")
    assert not jobs.is_visible()
    toggle = page.get_by_role("button", name="Menü")
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    jobs.click()
    page.wait_for_url("**/helper/bookings")


def test_the_desktop_header_shows_its_links_without_a_menu(page_in):
    helper = make_helper(email="tom@example.com", full_name="Tom Helfer")
    page = page_in("de", DESKTOP)
    log_in(page, helper.email, "Anmelden")
    assert not page.get_by_role("button", name="Menü").is_visible()
    assert header(page).get_by_role("link", name="Meine Aufträge").is_visible()


def test_the_focus_ring_stands_out_and_a_failed_log_in_focuses_the_summary(page_in):
    page = page_in("de", PHONE)
    page.goto("/login")
    page.locator("input[name=username]").fill("nobody@example.com")
    page.locator("input[name=password]").fill("wrong password")
    page.locator("main form").get_by_role("button", name="Anmelden").click()

    summary = page.locator(".form-errors")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('form-errors')")

    page.keyboard.press("Tab")  # into the form, from the summary
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert contrast(ring, background) >= 3, (ring, background)


def test_same_hours_as_monday_fills_the_week(page_in):
    helper = make_helper(email="tom@example.com")
    page = page_in("de", PHONE)
    log_in(page, helper.email, "Anmelden")
    page.goto("/helper/availability")
    page.locator("#id_d0_0_start").fill("08:00")
    page.locator("#id_d0_0_end").fill("12:00")
    page.get_by_role("button", name="Jeden Tag dieselben Zeiten wie am Montag").click()
    page.get_by_role("button", name="Zeiten speichern").click()
    page.wait_for_url("**/helper/inbox")

    assert WeeklySlot.objects.filter(helper=helper).count() == 7
    assert {
        (s.start_time.hour, s.end_time.hour) for s in WeeklySlot.objects.filter(helper=helper)
    } == {(8, 12)}


def test_a_partner_copies_a_new_api_key_with_one_tap(page_in):
    from quartier.partners.models import PartnerApiKey
    from tests.partners.factories import make_member, make_partner

    partner = make_partner(slug="swisstel", name="SwissTel")
    admin = make_member(partner, email="petra@swisstel.example")
    page = page_in("de", DESKTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, admin.email, "Anmelden")
    page.goto("/partner/swisstel/settings/")
    page.locator("form.card input[name=name]").fill("CRM")
    page.get_by_role("button", name="Schlüssel erstellen").click()

    page.get_by_role("button", name="Kopieren").click()
    page.get_by_role("button", name="Kopiert").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    key = PartnerApiKey.objects.get(partner=partner)
    assert copied.startswith(key.prefix)
    assert len(copied) > len(key.prefix)


def test_the_calendar_page_fits_a_phone(page_in):
    helper = make_helper(email="tom@example.com", full_name="Tom Helfer")
    page = page_in("de", PHONE)
    log_in(page, helper.email, "Anmelden")
    page.goto("/me/calendar")
    page.get_by_role("heading", name="Deine Buchungen in deinem Kalender").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("button", name="Kopieren").is_visible()
