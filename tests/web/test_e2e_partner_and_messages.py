"""Two more journeys in real Chromium: customer and helper talk before booking (Swiss German,
the reply appears without reloading), and a partner case from the helper's one-click take
to the partner's technicians, as the partner's admin then sees it (English)."""

from __future__ import annotations

import pytest

from quartier.partners.facade import case_create
from quartier.partners.models import Case
from tests.factories import make_customer, make_helper
from tests.partners.factories import make_member, make_partner, make_program, make_qualified
from tests.web.conftest import DESKTOP, PHONE
from tests.web.journeys import MARKETS, log_in, post_request, speaks

pytestmark = pytest.mark.e2e


def test_customer_asks_and_the_helper_answers_in_swiss_german(page_in, shoot):
    customer = make_customer(email="anna@example.com", full_name="Anna Muster")
    helper = make_helper(email="hans@example.com", full_name="Hans Meier", postcode="8003")
    job = post_request(customer, MARKETS["en"], "TV-Box zeigt kein Bild")  # Zürich

    anna = page_in("de-ch", PHONE)
    log_in(anna, customer.email, "Anmelden")
    anna.goto(f"/requests/{job.pk}")
    anna.get_by_role("link", name="Eine Frage stellen").first.click()
    anna.get_by_label("Deine Nachricht").fill("Können Sie am Samstag? Tel. 079 123 45 67")
    anna.get_by_role("button", name="Senden").click()
    anna.get_by_text("Können Sie am Samstag?").wait_for()
    assert "079 123 45 67" not in anna.content()  # masked until the booking

    hans = page_in("de-ch", DESKTOP)
    log_in(hans, helper.email, "Anmelden")
    hans.goto("/messages")
    hans.get_by_role("link", name="TV-Box zeigt kein Bild").click()
    hans.get_by_label("Deine Nachricht").fill("Ja, ab 10 Uhr.")
    hans.get_by_role("button", name="Senden").click()
    hans.get_by_text("Ja, ab 10 Uhr.").wait_for()

    anna.get_by_text("Ja, ab 10 Uhr.").wait_for(timeout=12_000)  # htmx polls every 5 s
    shoot(anna, "de-ch-customer-messages")


def test_a_partner_case_from_one_click_to_the_partners_technicians(page_in, shoot):
    partner = make_partner()
    program = make_program(partner)
    admin = make_member(partner, email="ops@swisstel.example")
    helper = make_helper(email="hans@example.com", postcode="8003", skills=["internet-wlan"])
    make_qualified(helper, program)
    case = case_create(
        partner=partner,
        program=program,
        service_code="router-setup",
        reference="TT-4711",
        contact_name="Erika Beispiel",
        contact_email="erika@example.com",
        contact_phone="",
        country="CH",
        postcode="8004",
        street_address="Bahnhofstrasse 1",
        description="WLAN drops every few minutes",
        products=[{"kind": "router", "model": "Internet-Box 4", "diagnostics": {"wlan": "drops"}}],
    )
    from quartier.dispatch.services import dispatch_first_wave

    dispatch_first_wave(request_id=case.request_id)

    hans = page_in("en", PHONE)
    speaks(helper, "en")
    log_in(hans, helper.email, "Log in")
    hans.goto("/helper/inbox")
    hans.get_by_role("button", name="Take the job for").click()
    hans.get_by_text("The job is yours.").wait_for()
    assert "Internet-Box 4" in hans.content()  # he arrives prepared
    hans.get_by_label("What did you find?").fill("The fibre socket is broken.")
    hans.get_by_role("button", name="Hand over to a technician").click()
    hans.get_by_text("The partner's technicians take over.").wait_for()
    shoot(hans, "en-helper-partner-case-escalated")

    case.refresh_from_db()
    assert case.escalation_reason == "helper"
    ops = page_in("en", DESKTOP)
    speaks(admin, "en")
    log_in(ops, admin.email, "Log in")
    ops.goto(f"/partner/{partner.slug}/cases/{case.pk}/")
    ops.get_by_text("The fibre socket is broken.").first.wait_for()
    shoot(ops, "en-partner-case-escalated")
    assert Case.objects.get(pk=case.pk).request.state == "escalated"
