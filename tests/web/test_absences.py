"""Absences in the helper's calendar: whole local days, shown, removable, and respected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import AvailabilityException
from quartier.matching.selectors import match_helpers
from tests.factories import make_helper, make_request

pytestmark = pytest.mark.django_db


def test_a_helper_adds_a_holiday_and_is_not_matched_on_those_days(browser_as, helper, customer):
    start = timezone.localdate() + timedelta(days=3)
    client = browser_as(helper)
    saved = client.post(
        "/helper/absences",
        {
            "first_day": start.isoformat(),
            "last_day": (start + timedelta(days=6)).isoformat(),
            "reason": "Holidays",
        },
        follow=True,
    )
    assert "You get no invitations on those days." in saved.content.decode()
    absence = AvailabilityException.objects.get(helper=helper)
    assert timezone.localtime(absence.starts_at).date() == start
    assert timezone.localtime(absence.starts_at).hour == 0
    assert absence.ends_at - absence.starts_at == timedelta(days=7)
    assert "Holidays" in saved.content.decode()

    during = make_request(customer, days=4)  # inside the holidays
    assert helper.pk not in [m.helper_id for m in match_helpers(during)]

    client.post(f"/helper/absences/{absence.pk}/remove")
    assert not AvailabilityException.objects.exists()
    assert helper.pk in [m.helper_id for m in match_helpers(during)]


def test_a_last_day_before_the_first_is_a_form_error(browser_as, helper):
    day = timezone.localdate() + timedelta(days=3)
    response = browser_as(helper).post(
        "/helper/absences",
        {"first_day": day.isoformat(), "last_day": (day - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first." in response.content.decode()
    assert not AvailabilityException.objects.exists()


def test_a_past_absence_is_refused_with_the_services_words(browser_as, helper):
    day = timezone.localdate() - timedelta(days=5)
    response = browser_as(helper, "en").post(
        "/helper/absences", {"first_day": day.isoformat(), "last_day": day.isoformat()}
    )
    assert "An absence must end in the future." in response.content.decode()
    assert not AvailabilityException.objects.exists()


def test_nobody_removes_someone_elses_absence(browser_as, helper):
    other = make_helper(email="other@example.com")
    day = timezone.localdate() + timedelta(days=3)
    browser_as(helper).post(
        "/helper/absences", {"first_day": day.isoformat(), "last_day": day.isoformat()}
    )
    absence = AvailabilityException.objects.get()
    assert browser_as(other).post(f"/helper/absences/{absence.pk}/remove").status_code == 404
    assert AvailabilityException.objects.count() == 1
