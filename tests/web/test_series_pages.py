"""Recurring series on the web, in German: "Regelmäßig wiederholen" on a booking, the
proposal, the helper's agreement and the dates; friendly errors; strangers get 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.series.models import Occurrence, Series

pytestmark = pytest.mark.django_db


def _form(days: int = 7, **extra: str) -> dict[str, str]:
    start = timezone.localtime() + timedelta(days=days)
    start = start.replace(hour=9, minute=0)
    return {
        "frequency": "weekly",
        "first_start": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "120",
        "until": "",
    } | extra


def test_a_customer_repeats_a_booking_and_the_helper_agrees_in_german(
    browser_as, booking, customer, helper
):
    anna = browser_as(customer, "de")
    page = anna.get(f"/bookings/{booking.pk}").content.decode()
    assert "Regelmäßig wiederholen" in page
    form = anna.get(f"/bookings/{booking.pk}/repeat").content.decode()
    assert "Wie oft" in form
    assert "Alle zwei Wochen" in form

    proposed = anna.post(f"/bookings/{booking.pk}/repeat", _form())
    series = Series.objects.get()
    assert proposed.status_code == 302
    assert proposed["Location"] == f"/series/{series.pk}"
    waiting = anna.get(f"/series/{series.pk}").content.decode()
    assert "Wartet auf die Zustimmung der anderen Seite" in waiting

    hans = browser_as(helper, "de")
    asked = hans.get(f"/series/{series.pk}").content.decode()
    assert "Serie zustimmen" in asked
    agreed = hans.post(f"/series/{series.pk}/accept", follow=True).content.decode()
    assert "Zugestimmt: Die nächsten Termine sind gebucht." in agreed
    assert agreed.count('class="card occurrence state-booked"') == Occurrence.objects.count() >= 7
    assert "Diesen Termin ausfallen lassen" in agreed
    # The booking page of a date links back to its series.
    first = Occurrence.objects.earliest("planned_on")
    assert (
        "Teil einer wiederkehrenden Serie"
        in anna.get(f"/bookings/{first.booking_id}").content.decode()
    )
    assert "Läuft" in anna.get("/series").content.decode()


def test_a_first_date_in_the_past_is_a_friendly_german_error(browser_as, booking, customer):
    anna = browser_as(customer, "de")
    answer = anna.post(f"/bookings/{booking.pk}/repeat", _form(days=-2))
    assert answer.status_code == 422
    assert "Der erste Termin muss in der Zukunft liegen." in answer.content.decode()
    assert not Series.objects.exists()


def test_ending_a_series_on_its_page(browser_as, booking, customer, helper):
    browser_as(customer, "de").post(f"/bookings/{booking.pk}/repeat", _form())
    series = Series.objects.get()
    hans = browser_as(helper, "de")
    hans.post(f"/series/{series.pk}/accept")
    ended = hans.post(f"/series/{series.pk}/end", {"reason": "Umzug"}, follow=True)
    assert "Die Serie ist beendet; künftige Termine sind storniert." in ended.content.decode()
    assert set(Occurrence.objects.values_list("state", flat=True)) == {"cancelled"}


def test_strangers_get_404_and_change_nothing(browser_as, booking, customer, helper, stranger):
    browser_as(customer).post(f"/bookings/{booking.pk}/repeat", _form())
    series = Series.objects.get()
    sam = browser_as(stranger, "de")
    assert sam.get(f"/series/{series.pk}").status_code == 404
    assert sam.post(f"/series/{series.pk}/accept").status_code == 404
    assert sam.get(f"/bookings/{booking.pk}/repeat").status_code == 404
    assert Series.objects.get().state == "proposed"


def test_moving_a_date_to_the_past_says_so_on_the_page(browser_as, booking, customer, helper):
    browser_as(customer).post(f"/bookings/{booking.pk}/repeat", _form())
    series = Series.objects.get()
    browser_as(helper).post(f"/series/{series.pk}/accept")
    first = Occurrence.objects.earliest("planned_on")
    anna = browser_as(customer, "de")
    answer = anna.post(
        f"/series/{series.pk}/dates/{first.pk}/move", {f"date-{first.pk}-starts_at": "kaputt"}
    )
    assert answer.status_code == 422
    assert f'id="id_date-{first.pk}-starts_at"' in answer.content.decode()
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    moved = anna.post(
        f"/series/{series.pk}/dates/{first.pk}/move", {f"date-{first.pk}-starts_at": past}
    )
    assert moved.status_code == 422
    assert "Wähle eine Zeit in der Zukunft." in moved.content.decode()
