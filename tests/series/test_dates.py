"""Dates of a series: local time kept across daylight saving time, monthly on the same day,
an end date, the rolling horizon, skip and move."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.bookings.offer_terms import OfferTerms
from quartier.bookings.plan_change_models import RescheduleProposal
from quartier.bookings.services import offer_accept, offer_create
from quartier.series.models import Occurrence
from quartier.series.occurrences import series_extend_all
from quartier.series.schedule import local_slot, planned_dates
from quartier.series.services import series_accept, series_propose
from quartier.ticks import registered_ticks
from tests.api_checks import assert_problem
from tests.factories import make_customer, make_helper, make_request
from tests.series.helpers import next_local, running_series

pytestmark = pytest.mark.django_db

ZURICH, BERLIN = ZoneInfo("Europe/Zurich"), ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(("country", "zone"), [("CH", ZURICH), ("DE", BERLIN)])
def test_a_weekly_nine_oclock_stays_nine_oclock_across_the_spring_change(country, zone):
    first = datetime(2027, 3, 19, 9, 0, tzinfo=zone)  # the change is on Sunday 28 March
    days = [d for _, d in zip(range(3), planned_dates(first.date(), "weekly"), strict=False)]
    slots = [local_slot(day, first, 120, country) for day in days]
    assert [s.astimezone(zone).hour for s, _ in slots] == [9, 9, 9]
    assert [s.utcoffset() for s, _ in slots] == [timedelta(0)] * 3  # stored in UTC
    assert [s.hour for s, _ in slots] == [8, 8, 7]  # 09:00 CET = 08:00 UTC, CEST = 07:00
    assert all(end - start == timedelta(hours=2) for start, end in slots)


def test_the_booked_visits_keep_their_local_time_across_the_autumn_change():
    with time_machine.travel(datetime(2027, 10, 1, 8, 0, tzinfo=ZURICH), tick=False):
        customer = make_customer(email="anna@example.com")
        helper = make_helper(email="hans@example.com", skills=["tv-set-top-box"])
        first = datetime(2027, 10, 22, 9, 0, tzinfo=ZURICH)  # the change is on 31 October
        series = running_series(customer, helper, first_start=first)
        bookings = Booking.objects.filter(
            pk__in=Occurrence.objects.filter(series=series).values("booking_id")
        ).order_by("starts_at")
        local = [timezone.localtime(b.starts_at, ZURICH) for b in bookings]
        assert [t.hour for t in local] == [9] * len(local)
        assert [t.date() for t in local[:3]] == [
            date(2027, 10, 22),
            date(2027, 10, 29),
            date(2027, 11, 5),
        ]


def test_monthly_keeps_the_day_or_takes_the_last_of_a_short_month():
    days = [d for _, d in zip(range(4), planned_dates(date(2027, 1, 31), "monthly"), strict=False)]
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_an_end_date_stops_the_series(customer, helper):
    until = next_local(21).date()
    series = running_series(customer, helper, until=until)
    assert (
        max(Occurrence.objects.filter(series=series).values_list("planned_on", flat=True)) == until
    )
    assert Occurrence.objects.filter(series=series).count() == 3


def test_the_tick_keeps_the_horizon_rolling_and_plans_nothing_twice(customer, helper):
    assert "series" in {tick.name for tick in registered_ticks()}
    series = running_series(customer, helper)
    planned = Occurrence.objects.filter(series=series).count()
    assert series_extend_all() == 0  # nothing new today
    with time_machine.travel(timezone.now() + timedelta(days=14), tick=False):
        assert series_extend_all() == 2  # two weeks later: two more weeks
    assert Occurrence.objects.filter(series=series).count() == planned + 2


def test_the_customer_skips_a_date_free_of_charge_a_week_ahead(api_as, customer, helper):
    series = running_series(customer, helper)
    second = Occurrence.objects.filter(series=series).order_by("planned_on")[1]
    skipped = api_as(customer).post(f"/series/{series.pk}/occurrences/{second.pk}/skip")
    assert skipped.status_code == 200, skipped.data
    row = next(o for o in skipped.data["occurrences"] if o["id"] == second.pk)
    assert (row["state"], row["reason"]) == ("skipped", "skipped_by_customer")
    assert Booking.objects.get(pk=second.booking_id).state == "cancelled"
    others = Occurrence.objects.filter(series=series).exclude(pk=second.pk)
    assert set(others.values_list("state", flat=True)) == {"booked"}
    again = api_as(helper).post(f"/series/{series.pk}/occurrences/{second.pk}/skip")
    assert_problem(again, 409, code="illegal_state")


def test_moving_a_booked_date_proposes_a_new_time_on_its_booking(api_as, customer, helper):
    series = running_series(customer, helper)
    first = Occurrence.objects.filter(series=series).earliest("planned_on")
    new_start = first.starts_at + timedelta(hours=3)
    moved = api_as(customer).post(
        f"/series/{series.pk}/occurrences/{first.pk}/move", {"starts_at": new_start.isoformat()}
    )
    assert moved.status_code == 200, moved.data
    proposal = RescheduleProposal.objects.get(booking_id=first.booking_id)
    assert proposal.starts_at == new_start
    accepted = api_as(helper).post(f"/bookings/{first.booking_id}/reschedule", {"action": "accept"})
    assert accepted.status_code == 200, accepted.data
    shown = api_as(customer).get(f"/series/{series.pk}").data["occurrences"][0]
    assert datetime.fromisoformat(shown["starts_at"]) == new_start


def test_a_date_that_needs_a_new_time_is_booked_at_a_free_time(api_as, customer, helper):
    series = running_series(customer, helper)
    first = Occurrence.objects.filter(series=series).earliest("planned_on")
    Booking.objects.filter(pk=first.booking_id).update(
        state="cancelled", cancelled_at=timezone.now()
    )
    Occurrence.objects.filter(pk=first.pk).update(state="needs_time", booking_id=None)
    new_start = first.starts_at + timedelta(days=1)
    moved = api_as(helper).post(
        f"/series/{series.pk}/occurrences/{first.pk}/move", {"starts_at": new_start.isoformat()}
    )
    assert moved.status_code == 200, moved.data
    first.refresh_from_db()
    assert first.state == "booked"
    assert Booking.objects.get(pk=first.booking_id).starts_at == new_start
    past = api_as(helper).post(
        f"/series/{series.pk}/occurrences/{first.pk}/move",
        {"starts_at": (timezone.now() - timedelta(hours=1)).isoformat()},
    )
    assert past.status_code in (409, 422)


def test_an_hourly_booking_repeats_at_its_hourly_rate(customer, helper):
    job = make_request(customer, days=2, title="Clean the flat")
    offer = offer_create(
        actor=helper,
        request_id=job.pk,
        proposed_start=job.window_start,
        proposed_end=job.window_start + timedelta(hours=3),
        terms=OfferTerms(pricing="hourly", hourly_rate_minor=4000, estimated_hours=Decimal("2.5")),
    )
    booking = offer_accept(actor=customer, offer_id=offer.pk)
    series = series_propose(
        actor=customer,
        booking_id=booking.pk,
        frequency="biweekly",
        first_start=next_local(7),
        duration_minutes=180,
    )
    assert (series.pricing, series.price_minor) == ("hourly", 4000)
    series_accept(actor=helper, series_id=series.pk)
    dates = Booking.objects.filter(
        pk__in=Occurrence.objects.filter(series=series).values("booking_id")
    ).select_related("offer")
    assert {(b.offer.pricing, b.price_minor) for b in dates} == {("hourly", 12000)}  # 3 h x 40
