"""The partner's branded entry page, its embeddable form and the widget script."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from quartier.jobs.states import RequestState
from quartier.partners.models import Case, Partner, ProgramRegion
from tests.partners.factories import make_partner, make_program


@pytest.fixture
def partner(db: None) -> Partner:
    caches["shared"].clear()  # the per-address submission counter
    partner = make_partner(brand_color="#e2001a")
    program = make_program(partner, technician_cost_minor=18000)
    ProgramRegion.objects.filter(program=program).update(region="ZH")  # Zürich only
    return partner


def form_data(**fields: str) -> dict[str, str]:
    return {
        "service": "home-internet/router-setup",
        "contact_name": "Paula Kunde",
        "contact_email": "paula@example.ch",
        "contact_phone": "+41 79 555 00 11",
        "country": "CH",
        "postcode": "8004 Zürich",
        "street_address": "Badenerstrasse 1",
        "description": "The router blinks red.",
        "product_model": "Box 5",
        "product_diagnostics": "DSL light off",
    } | fields


def test_the_page_shows_the_partners_name_colour_and_services(partner: Partner):
    response = Client().get("/p/swisstel/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "SwissTel" in html
    assert "#e2001a" in html
    assert "Router Setup" in html
    assert "csrfmiddlewaretoken" in html


def test_a_customer_requests_help_and_a_case_is_created(partner: Partner):
    response = Client().post("/p/swisstel/", form_data())

    html = response.content.decode()
    case = Case.objects.get(partner=partner)
    assert response.status_code == 200
    assert case.reference in html
    assert "What happens next" in html
    assert case.contact_email == "paula@example.ch"
    assert case.request.postcode == "8004"
    assert case.request.state == RequestState.REQUESTED
    assert case.products == [
        {
            "kind": "device",
            "model": "Box 5",
            "diagnostics": {"reported_by_customer": "DSL light off"},
        }
    ]


def test_a_postcode_outside_the_programs_regions_is_shown_on_the_field(partner: Partner):
    response = Client().post("/p/swisstel/", form_data(postcode="3011"))

    html = response.content.decode()
    assert response.status_code == 422
    assert "not offered at this postcode" in html
    assert 'aria-invalid="true"' in html
    assert 'name="postcode"' in html
    assert not Case.objects.exists()


def test_missing_fields_are_form_errors_and_nothing_is_created(partner: Partner):
    response = Client().post("/p/swisstel/", form_data(contact_email="nope", street_address=""))

    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()
    assert not Case.objects.exists()


def test_the_page_needs_the_csrf_token(partner: Partner):
    response = Client(enforce_csrf_checks=True).post("/p/swisstel/", form_data())

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_submissions_are_rate_limited_per_address(partner: Partner, settings: Any):
    client = Client()
    for index in range(10):
        client.post("/p/swisstel/", form_data(contact_email=f"p{index}@example.ch"))

    response = client.post("/p/swisstel/", form_data(contact_email="late@example.ch"))

    assert response.status_code == 429
    assert Case.objects.count() == 10


def test_the_rate_limit_holds_across_app_processes(partner: Partner):
    client = Client()
    for index in range(10):
        client.post("/p/swisstel/", form_data(contact_email=f"p{index}@example.ch"))
    caches["default"].clear()  # what another process would see of its own memory: nothing

    response = client.post("/p/swisstel/", form_data(contact_email="late@example.ch"))

    assert response.status_code == 429


def test_an_unknown_or_inactive_partner_is_404(partner: Partner):
    Partner.objects.filter(pk=partner.pk).update(is_active=False)

    assert Client().get("/p/swisstel/").status_code == 404
    assert Client().get("/p/nobody/").status_code == 404
    assert Client().get("/p/nobody/widget.js").status_code == 404


def test_only_the_embed_page_may_be_framed(partner: Partner):
    page = Client().get("/p/swisstel/")
    embed = Client().get("/p/swisstel/embed/")

    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    # Framed anywhere, yet it still runs only its own scripts.
    assert "script-src 'self' 'nonce-" in embed["Content-Security-Policy"]
    assert "quartier:height" in embed.content.decode()  # tells the host page its height


def test_the_embedded_form_creates_a_case_from_another_site(partner: Partner):
    client = Client(enforce_csrf_checks=True)  # no CSRF cookie inside a third-party frame

    response = client.post("/p/swisstel/embed/", form_data())

    assert response.status_code == 200
    assert Case.objects.filter(partner=partner).count() == 1
    assert "X-Frame-Options" not in response


def test_the_honeypot_creates_nothing(partner: Partner):
    response = Client().post("/p/swisstel/embed/", form_data(website="http://spam.example"))

    assert response.status_code == 200
    assert not Case.objects.exists()


def test_the_widget_script_inserts_the_embed_page(partner: Partner):
    response = Client().get("/p/swisstel/widget.js")

    script = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "http://testserver/p/swisstel/embed/" in script
    assert "iframe" in script
    assert "quartier:height" in script
    assert "event.origin !== origin" in script  # only its own frame may resize it
    assert '<script src="http://testserver/p/swisstel/widget.js" async>' in script  # usage


def test_the_service_area_errors_are_worded_by_their_code_in_german(partner: Partner):
    client = Client(headers={"accept-language": "de"})

    abroad = client.post("/p/swisstel/", form_data(country="DE", postcode="10115"))
    elsewhere = client.post("/p/swisstel/", form_data(postcode="3011"))

    assert abroad.status_code == elsewhere.status_code == 422
    assert "in diesem Land nicht angeboten" in abroad.content.decode()
    assert "für diese Postleitzahl nicht angeboten" in elsewhere.content.decode()
    assert not Case.objects.exists()
