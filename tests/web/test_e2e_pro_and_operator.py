"""The pro's and the operator's journeys in real Chromium: a small cleaning company keeps its
company data and staff (German); an operator works the queues in the back office, deciding
a dispute that both parties then read (English)."""

from __future__ import annotations

import pytest

from quartier.accounts.models import ProProfile
from quartier.bookings.disputes import dispute_open
from quartier.bookings.models import Dispute
from tests.factories import make_booking, make_customer, make_helper
from tests.web.conftest import DESKTOP, PHONE
from tests.web.journeys import PASSWORD, log_in, speaks

pytestmark = pytest.mark.e2e


def test_a_pro_keeps_company_data_and_staff_in_german(page_in, shoot):
    pro = make_helper(email="info@putzblitz.example", full_name="Petra Putz", is_pro=True)
    page = page_in("de", PHONE)
    log_in(page, pro.email, "Anmelden")
    page.goto("/pro/company")
    page.get_by_label("Firmenname").fill("Putzblitz GmbH")
    page.get_by_label("UID oder USt-IdNr.").fill("CHE-123.456.789")
    page.locator("#id_staff-0-full_name").fill("Mara Brun")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    shoot(page, "de-pro-company")
    company = ProProfile.objects.get(user=pro)
    assert company.company_name == "Putzblitz GmbH"
    assert [s.full_name for s in company.staff.all()] == ["Mara Brun"]


def test_an_operator_decides_a_dispute_from_the_queue(page_in, shoot):
    customer = make_customer(email="anna@example.com", full_name="Anna Muster")
    helper = make_helper(email="hans@example.com", postcode="8003")
    booking = make_booking(customer, helper)
    dispute_open(
        actor=customer, booking_id=booking.pk, reason="no_show", description="Nobody came."
    )
    operator = make_customer(
        email="ops@quartier.example", full_name="Olga Ops", is_staff=True, is_superuser=True
    )

    page = page_in("en", DESKTOP)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(operator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.get_by_role("link", name="Open disputes").click()
    page.wait_for_url("**/admin/bookings/dispute/**")
    shoot(page, "en-operator-disputes")
    page.locator("#result_list tbody th a").first.click()
    page.locator("#id_resolution").fill("The helper was ill; the booking is void, no fee.")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    dispute = Dispute.objects.get()
    assert dispute.status == "resolved"
    assert dispute.resolved_by == operator

    anna = page_in("en", PHONE)
    speaks(customer, "en")
    log_in(anna, customer.email, "Log in")
    anna.goto(f"/bookings/{booking.pk}")
    anna.get_by_text("the booking is void, no fee").wait_for()
