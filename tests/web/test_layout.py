"""The layout every page shares: landmarks, skip link, navigation per role, the language
switcher, the app's own CSS and htmx (no CDN), and money and dates per locale."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from quartier.money import Money
from quartier.web.templatetags.quartier_web import money, time_window, when
from tests.factories import make_helper

pytestmark = pytest.mark.django_db


def test_every_page_has_landmarks_a_skip_link_and_local_assets(browser_as):
    html = browser_as().get("/login").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert '<nav aria-label="Main">' in html
    assert 'href="/static/web/quartier.css"' in html
    assert 'src="/static/web/vendor/htmx.min.js"' in html
    assert "http://" not in html
    assert "https://" not in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_css_htmx_and_its_licence_are_served_by_the_app():
    css = finders.find("web/quartier.css")
    assert css
    assert "@media (min-width: 40rem)" in Path(css).read_text()
    htmx = finders.find("web/vendor/htmx.min.js")
    assert htmx
    assert "htmx" in Path(htmx).read_text()[:200]
    assert finders.find("web/vendor/htmx.LICENSE.txt")


def test_navigation_follows_the_roles(browser_as, customer, helper):
    anonymous = browser_as().get("/").content.decode()
    assert 'href="/login"' in anonymous
    assert 'href="/signup"' in anonymous
    assert "Log out" not in anonymous
    as_customer = browser_as(customer).get("/").content.decode()
    assert 'href="/requests"' in as_customer
    assert "Log out" in as_customer
    assert 'href="/helper/inbox"' not in as_customer
    as_helper = browser_as(helper).get("/").content.decode()
    assert 'href="/helper/inbox"' in as_helper
    assert 'href="/helper/earnings"' in as_helper


def test_language_switcher_changes_the_language_and_returns(browser_as):
    client = browser_as()
    html = client.get("/signup").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert re.search(r'name="language" value="de-ch"', html)
    switched = client.post("/i18n/setlang/", {"language": "de", "next": "/signup"})
    assert switched.status_code == 302
    assert switched["Location"] == "/signup"
    page = client.get("/signup").content.decode()
    assert '<html lang="de">' in page
    assert "Registrieren" in page
    assert "Konto erstellen" in page
    assert 'value="de" lang="de" aria-pressed="true"' in page


def test_swiss_german_writes_ss_for_eszett(browser_as, customer):
    german = browser_as(customer, "de").get("/requests/new").content.decode()
    swiss = browser_as(customer, "de-ch").get("/requests/new").content.decode()
    assert "Straße und Hausnummer" in german
    assert "Strasse und Hausnummer" in swiss
    assert "ß" not in swiss.split("<main")[1]


@pytest.mark.parametrize(
    ("language", "chf", "eur", "five_rappen"),
    [
        ("en", "CHF\xa01,234.50", "€1,234.50", "CHF\xa00.05"),
        ("de", "1.234,50\xa0CHF", "1.234,50\xa0€", "0,05\xa0CHF"),
        ("de-ch", "CHF\xa01\u2019234.50", "EUR\xa01\u2019234.50", "CHF\xa00.05"),
    ],
)
def test_money_is_written_as_each_market_writes_it(language, chf, eur, five_rappen):
    # The {% money %} tag writes amounts in the active language (pages and e-mails alike).
    with translation.override(language):
        assert money(123450, "CHF") == chf
        assert money(123450, "EUR") == eur
        assert money(Money(123450, "EUR")) == eur
        assert money(5, "CHF") == five_rappen
        assert money(None, "CHF") == ""


def test_dates_are_local_and_in_the_visitors_language():
    start = datetime(2026, 12, 5, 8, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Zürich
    end = datetime(2026, 12, 5, 16, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"):
        assert when(start) == "Sat 5 Dec 2026, 09:00"
        assert time_window(start, end) == "Sat 5 Dec 2026, 09:00\u201317:00"
    with translation.override("de"):
        assert when(start) == "Sa, 5. Dez 2026, 09:00"


def test_postcode_suggestions_for_the_datalist(browser_as):
    client = browser_as()
    html = client.get("/postcodes/suggest", {"postcode": "800", "country": "CH"}).content.decode()
    assert '<option value="8004">8004 Zürich (CH)</option>' in html
    german = client.get("/postcodes/suggest", {"q": "Berl", "country": "DE"}).content.decode()
    assert "Berlin (DE)" in german
    assert "(CH)" not in german
    assert client.get("/postcodes/suggest", {"q": ""}).content.decode().strip() == ""


def test_a_logged_out_visitor_is_sent_to_log_in(browser_as):
    for path in ["/me", "/requests", "/requests/new", "/helper/inbox", "/pro/company"]:
        response = browser_as().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login?next="), path


def test_a_customer_on_a_helper_page_is_told_what_it_is_for(browser_as, customer):
    response = browser_as(customer).get("/helper/inbox")
    assert response.status_code == 403
    assert "This page is for helpers" in response.content.decode()


def test_unknown_pages_are_a_friendly_404(browser_as):
    response = browser_as().get("/requests/999999")
    assert response.status_code == 302  # log in first
    helper = make_helper(email="x@example.com")
    response = browser_as(helper).get("/requests/999999")
    assert response.status_code == 404
    assert "not yours to see" in response.content.decode()
