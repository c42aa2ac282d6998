"""Absences are planned at most two years ahead (year 9999 was accepted before)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import AvailabilityException

pytestmark = pytest.mark.django_db


def test_the_api_refuses_an_absence_ending_in_year_9999(api_as, helper):
    response = api_as(helper).post(
        "/me/availability/exceptions",
        {"starts_at": "9999-06-01T00:00:00Z", "ends_at": "9999-12-31T23:59:59Z"},
    )
    assert response.status_code == 422
    assert "ends_at" in response.data["errors"]
    assert not AvailabilityException.objects.exists()


def test_an_absence_within_two_years_is_still_fine(api_as, helper):
    start = timezone.now() + timedelta(days=600)
    response = api_as(helper).post(
        "/me/availability/exceptions",
        {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=14)).isoformat()},
    )
    assert response.status_code == 201, response.data
