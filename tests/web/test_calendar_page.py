"""The calendar page: the private feed address to subscribe to, and revoking it, in German."""

from __future__ import annotations

import pytest

from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_the_calendar_page_in_german(browser_as):
    member = make_customer(email="greta@example.com")
    page = browser_as(member, language="de").get("/me/calendar").content.decode()
    assert "Deine Buchungen in deinem Kalender" in page
    assert "/calendar/" in page
    revoked = browser_as(member, language="de").post("/me/calendar/revoke", follow=True)
    assert "Die alte Adresse funktioniert nicht mehr." in revoked.content.decode()
