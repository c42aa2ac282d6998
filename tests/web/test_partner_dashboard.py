"""The partner dashboard on the web: isolation between partners, roles, cases, notes,
reports with CSV, and the settings page (API keys shown once, webhooks, qualifications)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from quartier.jobs.states import RequestState
from quartier.partners.models import (
    Case,
    CaseNote,
    PartnerApiKey,
    Qualification,
    WebhookEndpoint,
)
from quartier.partners.states import PartnerRole
from tests.factories import make_customer, make_helper
from tests.partners.cases.test_reports import KnownCases, known_cases, new_case
from tests.partners.factories import make_member, make_partner, make_program


@pytest.fixture
def data(db: None) -> KnownCases:
    return known_cases()


@pytest.fixture
def other(db: None) -> KnownCases:
    partner = make_partner(slug="moebelwerk", name="Möbelwerk")
    make_program(partner, country="DE")
    return KnownCases(partner, partner.programs.get(), {})


def test_a_member_sees_the_partners_cases_with_their_sla(data: KnownCases, browser_as: Any):
    admin = make_member(data.partner)

    page = browser_as(admin).get("/partner/swisstel/")

    html = page.content.decode()
    assert page.status_code == 200
    for reference in "ABCDE":
        assert f">{reference}</a>" in html
    assert "Breached" in html or "Met" in html
    assert 'href="/partner/"' in html  # the "Partner" link in the navigation


def test_the_case_table_filters_by_region_state_and_reference(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST))

    bern = client.get("/partner/swisstel/", {"region": "CH-BE"}).content.decode()
    escalated = client.get("/partner/swisstel/", {"state": "escalated"}).content.decode()
    by_reference = client.get("/partner/swisstel/", {"reference": "D"}).content.decode()
    at_risk = client.get("/partner/swisstel/", {"sla": "at_risk"}).content.decode()

    assert ">C</a>" in bern
    assert ">A</a>" not in bern
    assert ">C</a>" in escalated
    assert ">D</a>" not in escalated
    assert ">D</a>" in by_reference
    assert ">A</a>" not in by_reference
    assert ">D</a>" in at_risk  # open, little time left before the first-offer deadline
    assert ">A</a>" not in at_risk


def test_another_partners_member_gets_404_everywhere(
    data: KnownCases, other: KnownCases, browser_as: Any
):
    client = browser_as(make_member(other.partner))
    case = data.cases["A"]

    for path in (
        "/partner/swisstel/",
        f"/partner/swisstel/cases/{case.pk}/",
        "/partner/swisstel/reports/",
        "/partner/swisstel/reports.csv",
        "/partner/swisstel/settings/",
    ):
        assert client.get(path).status_code == 404, path
    # their own partner's URL with the other partner's case id: 404 too
    assert client.get(f"/partner/moebelwerk/cases/{case.pk}/").status_code == 404
    note = client.post(f"/partner/moebelwerk/cases/{case.pk}/note", {"text": "hi"})
    assert note.status_code == 404
    assert not CaseNote.objects.filter(text="hi").exists()


def test_anonymous_visitors_are_sent_to_log_in(data: KnownCases, browser_as: Any):
    response = browser_as().get("/partner/swisstel/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_a_customer_without_membership_gets_404(data: KnownCases, browser_as: Any):
    assert browser_as(make_customer()).get("/partner/swisstel/").status_code == 404


def test_the_case_page_shows_timeline_products_and_the_helper(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner))
    case = data.cases["A"]

    html = client.get(f"/partner/swisstel/cases/{case.pk}/").content.decode()

    assert "Box 5" in html  # the product
    assert case.request.booked_helper is not None
    assert case.request.booked_helper.first_name in html
    assert "Completed" in html  # a state change in the timeline


def test_an_admin_adds_a_note_and_cancels_an_open_case(data: KnownCases, browser_as: Any):
    admin = make_member(data.partner)
    client = browser_as(admin)
    case = data.cases["D"]

    note = client.post(f"/partner/swisstel/cases/{case.pk}/note", {"text": "Customer called."})
    cancel = client.post(f"/partner/swisstel/cases/{case.pk}/cancel", {"reason": "Fixed"})

    assert note.status_code == 302
    assert cancel.status_code == 302
    assert CaseNote.objects.get(case=case).text == "Customer called."
    case.request.refresh_from_db()
    assert case.request.state == RequestState.CANCELLED
    page = client.get(f"/partner/swisstel/cases/{case.pk}/").content.decode()
    assert "Customer called." in page


def test_an_analyst_cannot_write_notes_or_cancel(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST))
    case = data.cases["D"]

    note = client.post(f"/partner/swisstel/cases/{case.pk}/note", {"text": "no"})
    cancel = client.post(f"/partner/swisstel/cases/{case.pk}/cancel", {})

    assert (note.status_code, cancel.status_code) == (403, 403)
    assert not CaseNote.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).request.state == RequestState.REQUESTED


def test_the_report_page_draws_accessible_charts_with_the_figures(
    data: KnownCases, browser_as: Any
):
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST))

    html = client.get("/partner/swisstel/reports/", {"period": "week", "since": "2026-10-01"})

    text = html.content.decode()
    assert html.status_code == 200
    assert '<svg role="img"' in text
    assert "<title id=" in text
    assert "<desc id=" in text
    assert "CHF\u00a0360.00" in text  # cost avoided, formatted as money
    assert "CH-BE" in text


def test_chart_coordinates_stay_numbers_in_german(data: KnownCases, browser_as: Any):
    """SVG attributes must not take the locale's decimal comma ("12,5")."""
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST), "de")
    text = client.get("/partner/swisstel/reports/", {"period": "week", "since": "2026-10-01"})
    coordinates = re.findall(
        r'<rect x="([^"]*)" y="([^"]*)" width="([^"]*)"', text.content.decode()
    )
    assert coordinates
    assert all("," not in value for bar in coordinates for value in bar)


def test_the_csv_export_has_one_row_per_period_and_region(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST))

    response = client.get(
        "/partner/swisstel/reports.csv", {"period": "month", "since": "2026-10-01"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="swisstel-report-month')
    records = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_region = {(r["period_start"], r["region"]): r for r in records}
    assert set(by_region) == {("2026-11-01", "ZH"), ("2026-11-01", "BE")}
    assert by_region[("2026-11-01", "ZH")]["cases"] == "4"
    assert by_region[("2026-11-01", "ZH")]["cost_avoided"] == "360.00"


# --- settings ---------------------------------------------------------------------------------


def test_an_admin_creates_a_key_that_is_shown_only_once(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner))

    created = client.post("/partner/swisstel/settings/keys", {"name": "CRM"}, follow=True)
    again = client.get("/partner/swisstel/settings/")

    key = PartnerApiKey.objects.get(partner=data.partner)
    first, second = created.content.decode(), again.content.decode()
    raw = first.split('id="new-key">', 1)[1].split("<", 1)[0]
    assert raw.startswith(key.prefix)
    assert len(raw) > 40
    assert raw not in second  # never again
    assert key.prefix in second


def test_an_analyst_cannot_create_keys(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST))

    page = client.get("/partner/swisstel/settings/")
    response = client.post("/partner/swisstel/settings/keys", {"name": "CRM"})

    assert page.status_code == 200
    assert "Create a key" not in page.content.decode()
    assert response.status_code == 403
    assert not PartnerApiKey.objects.exists()


def test_rotate_and_revoke_a_key(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner))
    client.post("/partner/swisstel/settings/keys", {"name": "CRM"})
    key = PartnerApiKey.objects.get()

    rotated = client.post(f"/partner/swisstel/settings/keys/{key.pk}/rotate", follow=True)
    new = PartnerApiKey.objects.get(revoked_at__isnull=True)
    revoked = client.post(f"/partner/swisstel/settings/keys/{new.pk}/revoke")

    assert new.pk != key.pk
    assert new.prefix in rotated.content.decode()
    assert revoked.status_code == 302
    assert not PartnerApiKey.objects.filter(revoked_at__isnull=True).exists()


def test_an_admin_cannot_touch_another_partners_key(
    data: KnownCases, other: KnownCases, browser_as: Any
):
    browser_as(make_member(other.partner)).post("/partner/moebelwerk/settings/keys", {"name": "X"})
    key = PartnerApiKey.objects.get()

    response = browser_as(make_member(data.partner)).post(
        f"/partner/swisstel/settings/keys/{key.pk}/revoke"
    )

    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_an_admin_adds_a_webhook_endpoint_and_sees_its_secret(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner))

    response = client.post(
        "/partner/swisstel/settings/endpoints",
        {"url": "https://crm.swisstel.example/hooks", "events": ["case.created", "case.escalated"]},
        follow=True,
    )

    endpoint = WebhookEndpoint.objects.get(partner=data.partner)
    assert endpoint.events == ["case.created", "case.escalated"]
    assert endpoint.secret in response.content.decode()


def test_a_private_webhook_address_is_refused_on_the_form(data: KnownCases, browser_as: Any):
    client = browser_as(make_member(data.partner))

    response = client.post(
        "/partner/swisstel/settings/endpoints",
        {"url": "https://10.0.0.1/hooks", "events": ["case.created"]},
    )

    assert response.status_code == 422
    assert not WebhookEndpoint.objects.exists()


def test_the_partner_link_leads_to_the_one_partner(data: KnownCases, browser_as: Any):
    response = browser_as(make_member(data.partner)).get("/partner/")

    assert response.status_code == 302
    assert response["Location"] == "/partner/swisstel/"


def test_a_new_case_shows_on_the_dashboard(data: KnownCases, browser_as: Any):
    new_case(data.partner, "NEW-1")

    html = browser_as(make_member(data.partner)).get("/partner/swisstel/").content.decode()

    assert ">NEW-1</a>" in html


def test_the_qualification_queue_lists_applied_helpers_with_their_ratings(
    data: KnownCases, browser_as: Any
):
    applicant = make_helper(email="newbie@helpers.example", full_name="Nora Neu")
    Qualification.objects.create(program=data.program, helper=applicant)

    html = browser_as(make_member(data.partner)).get("/partner/swisstel/settings/").content.decode()

    queue = html.split('id="qualifications"', 1)[1]
    assert "Nora" in queue
    assert "0 jobs (min. 0)" in queue  # the known cases' program asks for no jobs
    assert "Approve" in queue


def test_an_analyst_cannot_approve_helpers(data: KnownCases, browser_as: Any):
    applicant = make_helper(email="newbie@helpers.example", full_name="Nora Neu")
    qualification = Qualification.objects.create(program=data.program, helper=applicant)
    client = browser_as(make_member(data.partner, role=PartnerRole.ANALYST))

    response = client.post(f"/partner/swisstel/settings/qualifications/{qualification.pk}/approve")

    assert response.status_code == 403
    qualification.refresh_from_db()
    assert qualification.state == "applied"


def test_an_admin_revokes_a_helper_from_the_queue(data: KnownCases, browser_as: Any):
    qualification = Qualification.objects.get(program=data.program)  # the qualified helper
    client = browser_as(make_member(data.partner))

    response = client.post(f"/partner/swisstel/settings/qualifications/{qualification.pk}/revoke")

    assert response.status_code == 302
    qualification.refresh_from_db()
    assert qualification.state == "revoked"


def test_diagnostics_read_as_words_not_raw_values(data: KnownCases, browser_as: Any):
    case = data.cases["A"]
    Case.objects.filter(pk=case.pk).update(
        products=[{"kind": "router", "model": "Box 5", "diagnostics": {"dsl_sync": False}}]
    )

    html = browser_as(make_member(data.partner), language="de").get(
        f"/partner/swisstel/cases/{case.pk}/"
    )

    page = html.content.decode()
    assert "<dt>DSL sync</dt><dd>nein</dd>" in page
    assert "dsl_sync: False" not in page
