"""A series from a booking: the customer proposes, the helper agrees, the next weeks are
booked as bookings of their own (each with its own request, offer, visit and invoice)."""

from __future__ import annotations

import itertools
from datetime import time, timedelta

import pytest
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.availability import availability_exception_add, weekly_slots_set
from quartier.bookings.models import Booking
from quartier.jobs.models import JobRequest
from quartier.notifications.models import Notification
from quartier.series.models import Occurrence, Series
from quartier.series.occurrences import series_extend
from tests.api_checks import assert_problem
from tests.factories import make_booking, make_customer
from tests.series.helpers import booked, next_local, running_series

pytestmark = pytest.mark.django_db


def propose(api, booking, **extra):
    body = {"booking_id": booking.pk, "frequency": "weekly"}
    body |= {"first_start": next_local(7).isoformat()} | extra
    return api.post("/series", body)


def test_the_customer_proposes_the_helper_agrees_and_the_weeks_are_booked(api_as, customer, helper):
    booking = booked(customer, helper)
    proposed = propose(api_as(customer), booking)
    assert proposed.status_code == 201, proposed.data
    assert proposed.data["state"] == "proposed"
    assert proposed.data["occurrences"] == []  # nothing is booked before the helper agrees
    assert Notification.objects.filter(user=helper, url=f"/series/{proposed.data['id']}").exists()

    own = api_as(customer).post(f"/series/{proposed.data['id']}/accept")
    assert_problem(own, 403, code="own_proposal")

    before = {u.pk: Notification.objects.filter(user=u).count() for u in (customer, helper)}
    accepted = api_as(helper).post(f"/series/{proposed.data['id']}/accept")
    assert accepted.status_code == 200, accepted.data
    # The customer gets one notice for the series, not one per booked date; the helper, who
    # agreed, none.
    after = {u.pk: Notification.objects.filter(user=u).count() for u in (customer, helper)}
    assert after == {customer.pk: before[customer.pk] + 1, helper.pk: before[helper.pk]}
    occurrences = accepted.data["occurrences"]
    assert accepted.data["state"] == "active"
    assert 7 <= len(occurrences) <= 8  # the next eight weeks
    assert {o["state"] for o in occurrences} == {"booked"}
    bookings = Booking.objects.filter(pk__in=[o["booking_id"] for o in occurrences])
    assert {b.helper_id for b in bookings} == {helper.pk}
    assert {b.price_minor for b in bookings} == {booking.price_minor}
    assert len({b.request_id for b in bookings}) == len(occurrences)  # a request each
    starts = sorted(timezone.localtime(b.starts_at) for b in bookings)
    assert {s.hour for s in starts} == {9}
    assert all(
        later - earlier == timedelta(days=7) for earlier, later in itertools.pairwise(starts)
    )
    # Each is a booking like any other: the customer sees it in their bookings.
    listed = api_as(customer).get("/bookings")
    assert {o["booking_id"] for o in occurrences} <= {b["id"] for b in listed.data}


def test_the_helper_may_propose_too_at_their_own_price(api_as, customer, helper):
    booking = booked(customer, helper)
    proposed = propose(api_as(helper), booking, frequency="biweekly", price_minor=8000)
    assert proposed.status_code == 201, proposed.data
    accepted = api_as(customer).post(f"/series/{proposed.data['id']}/accept")
    dates = [o["planned_on"] for o in accepted.data["occurrences"]]
    assert len(dates) == 4
    prices = Booking.objects.filter(
        pk__in=[o["booking_id"] for o in accepted.data["occurrences"]]
    ).values_list("price_minor", flat=True)
    assert set(prices) == {8000}


def test_a_declined_proposal_books_nothing(api_as, customer, helper):
    proposed = propose(api_as(customer), booked(customer, helper))
    declined = api_as(helper).post(f"/series/{proposed.data['id']}/decline")
    assert declined.data["state"] == "declined"
    assert declined.data["occurrences"] == []
    late = api_as(helper).post(f"/series/{proposed.data['id']}/accept")
    assert_problem(late, 409, code="illegal_state")


def test_bad_terms_are_clear_field_errors(api_as, customer, helper):
    booking = booked(customer, helper)
    past = propose(api_as(customer), booking, first_start=next_local(-1).isoformat())
    assert_problem(past, 422, field="first_start")
    short = propose(api_as(customer), booking, duration_minutes=5)
    assert_problem(short, 422, field="duration_minutes")
    until = propose(api_as(customer), booking, until=str(next_local(1).date()))
    assert_problem(until, 422, field="until")
    assert not Series.objects.exists()


def test_others_do_not_see_a_series(api_as, customer, helper):
    series = running_series(customer, helper)
    stranger = make_customer(email="otto@example.com")
    assert_problem(api_as(stranger).get(f"/series/{series.pk}"), 404)
    assert_problem(api_as(stranger).post(f"/series/{series.pk}/end"), 404)
    assert api_as(stranger).get("/series").data == []
    assert Series.objects.get(pk=series.pk).state == "active"


def test_an_overlap_with_another_booking_needs_a_new_time_and_both_are_told(customer, helper):
    User.objects.filter(pk__in=[customer.pk, helper.pk]).update(preferred_language="en")
    # The helper is booked elsewhere in the third week, at the series' time.
    other = make_customer(email="otto@example.com")
    clash = make_booking(other, helper, days=2, title="Mount the TV")
    third = next_local(21)
    Booking.objects.filter(pk=clash.pk).update(starts_at=third, ends_at=third + timedelta(hours=2))
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    series = running_series(customer, helper, first_start=next_local(7))
    needs = Occurrence.objects.get(series=series, planned_on=third.date())
    assert needs.state == "needs_time"
    assert needs.reason == "helper_double_booked"
    assert needs.booking_id is None
    told = Notification.objects.filter(pk__gt=before, title__icontains="new time")
    assert {n.user_id for n in told} == {customer.pk, helper.pk}
    # The others were booked all the same.
    assert Occurrence.objects.filter(series=series, state="booked").count() >= 6


def test_the_helpers_absence_and_weekly_slots_hold(customer, helper):
    second = next_local(14)
    availability_exception_add(
        actor=helper, starts_at=second - timedelta(hours=1), ends_at=second + timedelta(hours=5)
    )
    series = running_series(customer, helper)
    away = Occurrence.objects.get(series=series, planned_on=second.date())
    assert (away.state, away.reason) == ("needs_time", "helper_unavailable")

    # Slots that leave the series' weekday out: the next extension books nothing more.
    weekday = (second.weekday() + 1) % 7
    weekly_slots_set(actor=helper, slots=[(weekday, time(8), time(18))])
    Occurrence.objects.filter(series=series).delete()
    series_extend(series_id=series.pk)
    assert set(Occurrence.objects.filter(series=series).values_list("state", flat=True)) == {
        "needs_time"
    }


def test_ending_cancels_future_visits_without_fees_and_keeps_past_ones(api_as, customer, helper):
    series = running_series(customer, helper, first_start=next_local(1, hour=10))
    first = Occurrence.objects.filter(series=series).earliest("planned_on")
    # The first visit is tomorrow (inside the 24 hours a skip would cost a fee).
    ended = api_as(helper).post(f"/series/{series.pk}/end", {"reason": "Moving away"})
    assert ended.data["state"] == "ended"
    assert {o["state"] for o in ended.data["occurrences"]} == {"cancelled"}
    bookings = Booking.objects.filter(pk__in=[o["booking_id"] for o in ended.data["occurrences"]])
    assert {b.state for b in bookings} == {"cancelled"}
    first_booking = Booking.objects.get(pk=first.booking_id)
    assert first_booking.request.state == "cancelled"  # not back to dispatch
    from quartier.events.models import DomainEvent

    fees = DomainEvent.objects.filter(kind="booking.cancelled").values_list("payload", flat=True)
    assert all(p["fee_minor"] == 0 and not p["redispatched"] for p in fees)
    assert JobRequest.objects.filter(state="requested").count() == 0
