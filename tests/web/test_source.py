"""Quartier is AGPL-licensed: every page links to the code the site runs, and that link works
without an account."""

from __future__ import annotations

import io
import tarfile

import pytest

from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def _operator():
    return make_customer(email="ops@example.com", is_staff=True, is_superuser=True)


def test_footer_links_the_running_code_in_german(browser_as):
    html = browser_as(language="de").get("/helpers").content.decode()
    assert "freie Software unter der GNU AGPL v3 oder neuer" in html
    assert 'href="/source.tar.gz">Quellcode</a>' in html


def test_the_archive_holds_the_package_and_the_licence(browser_as):
    response = browser_as().get("/source.tar.gz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(response.content)) as archive:
        names = set(archive.getnames())
        licence = archive.extractfile("quartier-source/LICENSE")
        assert licence is not None
        assert b"GNU AFFERO GENERAL PUBLIC LICENSE" in licence.read()
    assert "quartier-source/src/quartier/web/public/source_views.py" in names
    assert "quartier-source/uv.lock" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_an_operator_may_point_to_a_public_repository(browser_as, settings):
    settings.QUARTIER_SOURCE_URL = "https://code.example.org/quartier"
    html = browser_as().get("/").content.decode()
    assert 'href="https://code.example.org/quartier">Source code</a>' in html


def test_every_page_and_the_back_office_carry_the_icon(browser_as):
    icon = 'rel="icon" href="/static/web/favicon.svg"'
    assert icon in browser_as().get("/").content.decode()
    assert icon in browser_as(_operator()).get("/admin/").content.decode()
    assert browser_as().get("/favicon.ico")["Location"] == "/static/web/favicon.svg"


def test_the_back_office_wears_the_sites_green_in_light_and_dark(browser_as):
    html = browser_as(_operator()).get("/admin/").content.decode()
    assert html.count("--primary: #0b6e4f") == 1  # light
    assert 'html[data-theme="dark"]' in html
    assert ':root:not([data-theme="light"])' in html  # the system's dark mode
