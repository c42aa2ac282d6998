"""No English sentence of the catalogue on a German page of the main journeys: if a string
is translated, the German page shows the translation (catches forgotten `{% translate %}`,
text rendered outside the reader's language, and English stored where words belong)."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from quartier.dispatch.services import dispatch_first_wave
from tests.factories import make_booking, make_customer, make_helper, make_request
from tests.partners.factories import make_member, make_partner, make_program

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def english_sentences() -> set[str]:
    """Catalogue entries long enough to be sentences, whose German differs, with no
    placeholders (those are checked through their German rendering)."""
    with translation.override("de"):
        catalog = trans_real.translation("de")._catalog  # type: ignore[attr-defined]
        return {
            key
            for key, german in catalog.items()
            if isinstance(key, str)
            and len(key) >= 20
            and german != key
            and "%" not in key
            and "{" not in key
        }


def visible_text(page: str) -> str:
    return html.unescape(TAGS.sub(" ", page))


@pytest.fixture
def journeys(browser_as):
    customer = make_customer(email="anna@example.com", full_name="Anna Muster")
    helper = make_helper(email="hans@example.com", full_name="Hans Meier")
    job = make_request(customer, title="TV-Box zeigt kein Bild")
    dispatch_first_wave(request_id=job.pk)
    booked = make_booking(customer, helper, title="WLAN einrichten")
    partner = make_partner(slug="swisstel", name="SwissTel")
    make_program(partner)
    member = make_member(partner)
    return {
        "anonymous": (None, ["/", "/signup", "/login", "/helpers"]),
        "customer": (
            customer,
            ["/me", "/requests", f"/requests/{job.pk}", f"/bookings/{booked.pk}",
             "/notifications", "/messages", "/me/settings"],
        ),
        "helper": (
            helper,
            ["/helper/inbox", "/helper/bookings", "/helper/earnings", "/helper/availability",
             "/helper/programs", "/notifications"],
        ),
        "partner": (member, ["/partner/swisstel/", "/partner/swisstel/reports/"]),
    }  # fmt: skip


@pytest.mark.parametrize("language", ["de", "de-ch"])
def test_no_english_sentence_on_a_german_page(browser_as, journeys, language):
    sentences = english_sentences()
    assert len(sentences) > 200  # the catalogue is loaded
    found = []
    for who, (user, paths) in journeys.items():
        client = browser_as(user, language=language)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path, response.status_code)
            text = visible_text(response.content.decode())
            found += [f"{who} {path}: {s}" for s in sentences if s in text]
    assert found == []
