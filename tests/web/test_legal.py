"""Impressum, privacy notice, terms and contractor terms: linked from every page, in German
and English, and which version each member accepted when."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from quartier.accounts import legal
from quartier.accounts.legal import Document
from quartier.accounts.models import LegalAcceptance, User
from tests.factories import make_customer, make_helper

pytestmark = pytest.mark.django_db
SLUGS = ["impressum", "privacy", "terms", "contractor-terms"]


@pytest.mark.parametrize("page", ["/", "/signup", "/login", "/helpers"])
def test_every_page_links_all_four_texts(browser_as, page):
    html = browser_as().get(page).content.decode()
    for slug in SLUGS:
        assert f'href="/legal/{slug}"' in html


@pytest.mark.parametrize(
    ("slug", "english", "german"),
    [
        ("impressum", "Quartier is operated by", "Quartier wird betrieben von"),
        ("privacy", "Your rights", "Deine Rechte"),
        ("terms", "Cancelling", "Stornieren"),
        ("contractor-terms", "You work for yourself", "Du arbeitest selbständig"),
    ],
)
def test_each_text_speaks_english_and_german(browser_as, slug, english, german):
    assert english in browser_as(language="en").get(f"/legal/{slug}").content.decode()
    assert german in browser_as(language="de").get(f"/legal/{slug}").content.decode()


def test_the_impressum_names_the_configured_operator(browser_as, settings):
    settings.QUARTIER_ISSUER = {"name": "Nachbarn AG", "uid": "CHE-999.888.777"}
    html = browser_as().get("/legal/impressum").content.decode()
    assert "Nachbarn AG" in html
    assert "CHE-999.888.777" in html


def test_swiss_german_writes_ss_for_sharp_s(browser_as):
    german = browser_as(language="de").get("/legal/terms").content.decode()
    swiss = browser_as(language="de-ch").get("/legal/terms").content.decode()
    assert "wahrheitsgemäß" in german
    assert "wahrheitsgemäss" in swiss
    assert "ß" not in swiss.split("<main", 1)[1]


def test_an_unknown_text_is_404(browser_as):
    assert browser_as().get("/legal/cookies").status_code == 404


def test_signing_up_records_the_versions_accepted(browser_as):
    response = browser_as().post(
        "/signup",
        {
            "full_name": "Lea Neu",
            "email": "lea@example.com",
            "password": "correct horse battery staple",
            "roles": ["customer"],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="lea@example.com")
    accepted = set(LegalAcceptance.objects.filter(user=user).values_list("document", "version"))
    assert accepted == {
        ("terms", legal.CURRENT[Document.TERMS]),
        ("privacy", legal.CURRENT[Document.PRIVACY]),
    }


def test_a_helper_accepts_the_contractor_terms_with_their_profile():
    helper = make_helper(email="hans@example.com")
    assert LegalAcceptance.objects.filter(user=helper, document="contractor_terms").exists()


def test_a_new_version_asks_once_on_every_page_until_accepted(browser_as, monkeypatch):
    customer = make_customer(email="anna@example.com")
    client = browser_as(customer)
    assert "Our terms have changed" not in client.get("/me").content.decode()

    monkeypatch.setitem(legal.CURRENT, Document.TERMS, "2027-03-01")
    page = client.get("/me").content.decode()
    assert "Our terms have changed" in page
    assert 'href="/legal/terms"' in page.split("Our terms have changed")[1][:300]

    accepted = client.post("/legal/accept", {"next": "/me"}, follow=True).content.decode()
    assert "You accepted the current terms" in accepted
    assert "Our terms have changed" not in client.get("/me").content.decode()
    versions = LegalAcceptance.objects.filter(user=customer, document="terms")
    assert sorted(versions.values_list("version", flat=True)) == ["2026-12-05", "2027-03-01"]


def test_the_export_lists_what_was_accepted(customer, api_as):
    response = api_as(customer).client.get("/api/v1/me/export", headers=api_as(customer).headers)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        accepted = json.loads(archive.read("accounts.json"))["legal_acceptances"]
    assert {row["document"] for row in accepted} == {"terms", "privacy"}
