"""First impressions in German on a phone, in real Chromium, with the screenshots the README
shows: the helper's inbox with nothing yet (what to do next), the notifications page (its
e-mail choices in German) and the partner's reports (charts with axes, gaps and values)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_customer, make_helper
from tests.partners.cases.test_reports import at, backdate, new_case
from tests.partners.factories import make_member, make_partner, make_program
from tests.web.conftest import DESKTOP, PHONE
from tests.web.journeys import log_in

pytestmark = pytest.mark.e2e


def test_helper_inbox_and_notifications_in_german(page_in, shoot):
    helper = make_helper(email="tom@example.com", full_name="Tom Helfer", radius_km=8)
    page = page_in("de", PHONE)
    log_in(page, helper.email, "Anmelden")

    page.goto("/helper/inbox")
    page.get_by_role("link", name="Vergrößere deinen Einsatzradius (jetzt 8 km)").wait_for()
    shoot(page, "de-helper-inbox-empty")

    page.goto("/notifications")
    main = page.locator("main").inner_text()
    assert "Neue Nachrichten" in main
    assert "Einladungen zu Anfragen in deiner Nähe" in main
    assert "New messages" not in main
    shoot(page, "de-notifications")


def test_partner_reports_read_on_a_phone(page_in, shoot):
    partner = make_partner(slug="swisstel", name="SwissTel")
    make_program(partner, name_de="Internet zu Hause")
    member = make_member(partner, email="petra@swisstel.example")
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 21)
    for week, count in ((0, 3), (2, 1), (3, 2)):  # week 1 without cases
        for number in range(count):
            case = new_case(partner, f"W{week}-{number}")
            backdate(case, at(monday + timedelta(days=7 * week), 9 + number), timedelta(minutes=40))
    make_customer(email="someone@example.com")

    page = page_in("de", PHONE)
    log_in(page, member.email, "Anmelden")
    page.goto("/partner/swisstel/reports/")
    chart = page.locator("figure.chart").first
    chart.wait_for()
    labels = chart.locator("text.period").all_text_contents()
    assert len(labels) == 4  # the empty week keeps its place on the axis
    assert chart.locator("text.tick").all_text_contents() == ["0", "2", "4"]
    box = chart.locator("text.period").first.bounding_box()
    assert box is not None
    assert box["height"] >= 9  # readable, not 6 px
    shoot(page, "de-partner-reports")


def test_the_report_table_fits_a_desktop_screen(page_in):
    partner = make_partner(slug="swisstel", name="SwissTel")
    make_program(partner)
    member = make_member(partner, email="petra@swisstel.example")
    case = new_case(partner, "W0-0")
    backdate(case, at(timezone.localdate() - timedelta(days=10), 9), timedelta(minutes=130))

    page = page_in("de", DESKTOP)
    log_in(page, member.email, "Anmelden")
    page.goto("/partner/swisstel/reports/")
    table = page.locator(".table-scroll").first
    table.wait_for()
    overflow = table.evaluate("element => element.scrollWidth - element.clientWidth")
    assert overflow <= 0  # every column visible at 1280 px, none hidden behind a scrollbar
