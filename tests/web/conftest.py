"""Fixtures for the web app: its URLs mounted as the site will mount them, logged-in
browsers (Django's test client) per role, and a booking at each step of the job."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.catalog.models import Skill
from quartier.catalog.services import catalog_seed
from quartier.geo.models import Postcode
from quartier.geo.services import postcodes_import
from quartier.web.selectors import STATS_KEY
from tests.factories import make_booking, make_customer, make_helper, play_visit


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: end-to-end journeys in real headless Chromium (Playwright)"
    )


@pytest.fixture(autouse=True)
def _fresh_home_figures() -> None:
    """The home page keeps its counts for a minute (web/selectors.py): each test starts
    without what an earlier one left there."""
    caches["default"].delete(STATS_KEY)


@pytest.fixture
def browser_as() -> Any:
    """A test client logged in as `user` (or anonymous), speaking `language`."""

    def make(user: User | None = None, language: str = "en") -> Client:
        client = Client(headers={"accept-language": language})
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def stranger(db: None) -> User:
    return make_customer(email="stranger@example.com", full_name="Sam Fremd")


@pytest.fixture
def booking(customer: User, helper: User) -> Booking:
    """Anna booked Hans for her TV box (request in 8004, Hans lives in 8003)."""
    return make_booking(customer, helper)


@pytest.fixture
def completed(booking: Booking, helper: User) -> Booking:
    return play_visit(booking.pk)


@pytest.fixture
def customer_only_helper(db: None) -> User:
    """Another helper far away in Berlin: cannot serve Zürich requests."""
    return make_helper(email="berta@example.com", country="DE", postcode="10115")


# --- end-to-end: real headless Chromium against a live server --------------------------------

CHROMIUM = Path(os.environ.get("QUARTIER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for the session, driven by Playwright for Python."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed: the e2e journeys need it "
        "(a dev dependency; never `playwright install`, the tests use Debian's chromium)",
    )
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium` (Debian)")
    # Playwright's sync API keeps an event loop set in this thread; the ORM calls that tests
    # and fixtures make between browser steps are plain synchronous code all the same.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def e2e_site(chromium: Any, live_server: Any) -> str:
    """The live server's address, with the data every test database has (a flush by an
    earlier transactional test empties the postcode table and the seeded skill catalogue)."""
    if not Postcode.objects.exists():
        postcodes_import()
    if not Skill.objects.exists():
        catalog_seed()
    return str(live_server.url)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page_in(chromium: Any, e2e_site: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """`page_in(language, viewport)`: a fresh browser context (own cookies) and page. When
    the test fails, each page's last state is saved as a FAILED-... screenshot."""
    contexts: list[Any] = []

    def make(language: str, viewport: dict[str, int] = PHONE) -> Any:
        context = chromium.new_context(
            base_url=e2e_site,
            locale={"de": "de-DE", "de-ch": "de-CH"}.get(language, "en-GB"),
            viewport=viewport,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "report_call", None)
    for index, context in enumerate(contexts):
        if report is not None and report.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w-]+", "-", request.node.name)
            for page in context.pages:
                page.screenshot(
                    path=str(SCREENSHOTS / f"FAILED-{name}-{index}.png"), full_page=True
                )
        context.close()


@pytest.fixture
def shoot() -> Any:
    """`shoot(page, name)`: a full-page screenshot to test-artifacts/screenshots/name.png."""

    def take(page: Any, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # Playwright's full_page capture makes headless Chromium drop the next click; grow
        # the viewport to the page's height instead, capture, and put it back.
        viewport = page.viewport_size
        page.wait_for_load_state()  # a click's navigation may still be under way
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": max(height, 1)})
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        page.set_viewport_size(viewport)

    return take
