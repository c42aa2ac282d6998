"""Absences far in the future: refused past two years ahead, and a page that still shows
one stored before the limit existed (year 9999 cannot be shown in local time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import AvailabilityException

pytestmark = pytest.mark.django_db


def test_the_page_refuses_a_last_day_past_two_years_with_a_field_error(browser_as, helper):
    for last in ("9999-12-31", (timezone.localdate() + timedelta(days=800)).isoformat()):
        first = (timezone.localdate() + timedelta(days=760)).isoformat() if last < "9" else last
        response = browser_as(helper, "de").post(
            "/helper/absences", {"first_day": first, "last_day": last}
        )
        assert response.status_code == 200
        assert "höchstens zwei Jahre im Voraus" in response.content.decode()
    assert not AvailabilityException.objects.exists()


def test_the_page_shows_an_absence_stored_before_the_limit(browser_as, helper):
    AvailabilityException.objects.create(
        helper=helper,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    )
    page = browser_as(helper).get("/helper/absences")
    assert page.status_code == 200
    assert "9999" in page.content.decode()
