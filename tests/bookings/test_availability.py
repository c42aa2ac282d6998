"""Helpers' availability: weekly slots, absences, and the free hours the matcher counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.availability import (
    availability_exception_add,
    availability_exception_remove,
    free_hours,
    weekly_hours_bitmap,
    weekly_hours_bitmaps,
    weekly_slots_set,
)
from quartier.bookings.models import AvailabilityException, Booking, WeeklySlot
from quartier.bookings.services import booking_cancel
from quartier.errors import Forbidden, InvalidInput, NotFound
from quartier.events import helper_changed
from tests.conftest import Api
from tests.factories import make_booking, make_customer, make_helper

pytestmark = pytest.mark.django_db

MON, TUE, SUN = 0, 1, 6


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a local (Europe/Zurich) wall-clock time."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def slots_of(user: User) -> list[tuple[int, time, time]]:
    return list(
        WeeklySlot.objects.filter(helper=user)
        .order_by("weekday", "start_time")
        .values_list("weekday", "start_time", "end_time")
    )


def book(customer: User, helper: User, starts_at: datetime, ends_at: datetime) -> Booking:
    """A live booking of `helper` at exactly [starts_at, ends_at)."""
    booking = make_booking(customer, helper)
    Booking.objects.filter(pk=booking.pk).update(starts_at=starts_at, ends_at=ends_at)
    return booking


def free_for(helper: User, start: datetime, end: datetime) -> int:
    bitmap = weekly_hours_bitmap(helper_id=helper.pk)
    return free_hours(helpers={helper.pk: bitmap}, window_start=start, window_end=end)[helper.pk]


@pytest.fixture
def changed():
    """The helper ids `helper_changed` announced during the test (after fixtures ran)."""
    calls: list[int] = []

    def receiver(sender, helper_id, **kwargs):
        calls.append(helper_id)

    helper_changed.connect(receiver, weak=False, dispatch_uid="test_availability")
    yield calls
    helper_changed.disconnect(dispatch_uid="test_availability")


# --- weekly slots ----------------------------------------------------------------------------


def test_setting_slots_replaces_the_previous_ones(helper, changed):
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12)), (2, time(14), time(18))])
    changed.clear()
    stored = weekly_slots_set(actor=helper, slots=[(TUE, time(9), time(10, 30))])
    assert [(s.weekday, s.start_time, s.end_time) for s in stored] == [(TUE, time(9), time(10, 30))]
    assert slots_of(helper) == [(TUE, time(9), time(10, 30))]
    assert changed == [helper.pk]


def test_overlapping_and_touching_slots_of_a_day_are_merged(helper):
    stored = weekly_slots_set(
        actor=helper,
        slots=[
            (MON, time(11), time(14)),
            (MON, time(8), time(12)),
            (MON, time(14), time(15)),
            (MON, time(16), time(17)),
            (TUE, time(8), time(12)),
        ],
    )
    assert [(s.weekday, s.start_time, s.end_time) for s in stored] == [
        (MON, time(8), time(15)),
        (MON, time(16), time(17)),
        (TUE, time(8), time(12)),
    ]


def test_an_empty_list_makes_the_helper_flexible(helper):
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    assert weekly_slots_set(actor=helper, slots=[]) == []
    assert weekly_hours_bitmap(helper_id=helper.pk) is None


@pytest.mark.parametrize(
    ("bad_slot", "field"),
    [
        ((MON, time(12), time(8)), "slots.1.end"),
        ((MON, time(12), time(12)), "slots.1.end"),
        ((7, time(8), time(12)), "slots.1.weekday"),
        ((-1, time(8), time(12)), "slots.1.weekday"),
        ((MON, time(8, 15), time(12)), "slots.1.start"),
        ((MON, time(8), time(12, 0, 30)), "slots.1.end"),
    ],
)
def test_invalid_slots_are_refused_and_change_nothing(helper, changed, bad_slot, field):
    weekly_slots_set(actor=helper, slots=[(SUN, time(10), time(16))])
    before = slots_of(helper)
    changed.clear()
    with pytest.raises(InvalidInput) as error:
        weekly_slots_set(actor=helper, slots=[(TUE, time(8), time(9)), bad_slot])
    assert list(error.value.errors) == [field]
    assert slots_of(helper) == before
    assert changed == []


def test_only_helpers_have_slots(customer):
    with pytest.raises(Forbidden):
        weekly_slots_set(actor=customer, slots=[(MON, time(8), time(12))])
    assert not WeeklySlot.objects.exists()


# --- the weekly bitmap -----------------------------------------------------------------------


def test_monday_8_to_12_sets_exactly_bits_8_to_11(helper):
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    bitmap = weekly_hours_bitmap(helper_id=helper.pk)
    assert bitmap == 0b1111 << 8
    assert [bit for bit in range(168) if bitmap >> bit & 1] == [8, 9, 10, 11]


def test_bitmap_counts_whole_hours_only_and_midnight_ends_the_day(helper):
    weekly_slots_set(
        actor=helper,
        slots=[
            (TUE, time(8, 30), time(10)),
            (TUE, time(12), time(12, 30)),
            (SUN, time(22), time(0)),
        ],
    )
    bitmap = weekly_hours_bitmap(helper_id=helper.pk)
    assert bitmap is not None
    assert [bit for bit in range(168) if bitmap >> bit & 1] == [24 + 9, 6 * 24 + 22, 6 * 24 + 23]


def test_a_helper_without_slots_is_flexible_not_unavailable(helper):
    assert weekly_hours_bitmap(helper_id=helper.pk) is None
    other = make_helper(email="otto@example.com")
    weekly_slots_set(actor=other, slots=[(MON, time(8), time(8, 30))])  # no whole hour
    assert weekly_hours_bitmaps(helper_ids=[helper.pk, other.pk]) == {helper.pk: None, other.pk: 0}


# --- absences --------------------------------------------------------------------------------


def test_helper_adds_and_removes_an_absence(helper, changed):
    monday = next_monday()
    absence = availability_exception_add(
        actor=helper, starts_at=local(monday, 10), ends_at=local(monday, 11), reason=" dentist "
    )
    assert absence.reason == "dentist"
    assert changed == [helper.pk]
    availability_exception_remove(actor=helper, exception_id=absence.pk)
    assert not AvailabilityException.objects.exists()
    assert changed == [helper.pk, helper.pk]


def test_another_helpers_absence_is_not_found(helper, changed):
    monday = next_monday()
    absence = availability_exception_add(
        actor=helper, starts_at=local(monday, 10), ends_at=local(monday, 11)
    )
    rival = make_helper(email="rival@example.com")
    changed.clear()
    with pytest.raises(NotFound):
        availability_exception_remove(actor=rival, exception_id=absence.pk)
    assert AvailabilityException.objects.filter(pk=absence.pk).exists()
    assert changed == []


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        (timedelta(days=8, hours=11), timedelta(days=8, hours=10), "ends_at"),
        (timedelta(days=8), timedelta(days=8), "ends_at"),
        (timedelta(days=-3), timedelta(days=-2), "ends_at"),
        (timedelta(days=1), timedelta(days=400), "ends_at"),
    ],
)
def test_invalid_absences_are_refused(helper, starts, ends, field):
    now = timezone.now()
    with pytest.raises(InvalidInput) as error:
        availability_exception_add(actor=helper, starts_at=now + starts, ends_at=now + ends)
    assert list(error.value.errors) == [field]
    assert not AvailabilityException.objects.exists()


def test_naive_absence_times_are_refused(helper):
    naive = datetime.combine(next_monday(), time(10))
    with pytest.raises(InvalidInput) as error:
        availability_exception_add(
            actor=helper, starts_at=naive, ends_at=naive + timedelta(hours=1)
        )
    assert list(error.value.errors) == ["starts_at"]
    assert not AvailabilityException.objects.exists()


# --- free hours ------------------------------------------------------------------------------


def test_free_hours_counts_the_slot_hours_inside_the_window(helper):
    monday = next_monday()
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 3  # 09, 10, 11
    tuesday = monday + timedelta(days=1)
    assert free_for(helper, local(tuesday, 9), local(tuesday, 17)) == 0


def test_an_absence_takes_its_hours_away(helper):
    monday = next_monday()
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    availability_exception_add(actor=helper, starts_at=local(monday, 10), ends_at=local(monday, 11))
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 2


def test_a_partly_overlapping_absence_takes_the_whole_hour(helper):
    monday = next_monday()
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    availability_exception_add(
        actor=helper, starts_at=local(monday, 9, 45), ends_at=local(monday, 10, 15)
    )
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 1  # only 11:00 is left


def test_live_bookings_take_hours_away_cancelled_ones_do_not(customer, helper):
    monday = next_monday()
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    availability_exception_add(actor=helper, starts_at=local(monday, 10), ends_at=local(monday, 11))
    booking = book(customer, helper, local(monday, 11), local(monday, 12))
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 1
    booking_cancel(actor=customer, booking_id=booking.pk)
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 2


def test_a_flexible_helper_is_free_every_hour_of_the_window(customer, helper):
    monday = next_monday()
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 8
    assert free_for(helper, local(monday, 9, 30), local(monday, 17)) == 7  # whole hours only
    book(customer, helper, local(monday, 13), local(monday, 15))
    assert free_for(helper, local(monday, 9), local(monday, 17)) == 6


def test_other_helpers_absences_and_bookings_do_not_count(customer, helper):
    monday = next_monday()
    rival = make_helper(email="rival@example.com", postcode="8004")
    availability_exception_add(actor=rival, starts_at=local(monday, 0), ends_at=local(monday, 23))
    book(customer, rival, local(monday, 9), local(monday, 17))
    counts = free_hours(
        helpers={helper.pk: None, rival.pk: None},
        window_start=local(monday, 9),
        window_end=local(monday, 17),
    )
    assert counts == {helper.pk: 8, rival.pk: 0}


def test_the_window_is_capped_at_60_days(helper):
    start = local(next_monday(), 0)
    hours = free_hours(
        helpers={helper.pk: None}, window_start=start, window_end=start + timedelta(days=100)
    )
    assert hours == {helper.pk: 60 * 24}


def test_an_empty_or_reversed_window_has_no_free_hours(helper, django_assert_num_queries):
    start = local(next_monday(), 9)
    with django_assert_num_queries(0):
        assert free_hours(helpers={helper.pk: None}, window_start=start, window_end=start) == {
            helper.pk: 0
        }
        assert free_hours(
            helpers={helper.pk: None}, window_start=start, window_end=start - timedelta(hours=5)
        ) == {helper.pk: 0}
        assert free_hours(helpers={}, window_start=start, window_end=start + timedelta(1)) == {}


# Last Sundays of March and October 2027: local 02:00 is skipped / happens twice.
SPRING = date(2027, 3, 28)
AUTUMN = date(2027, 10, 31)


@pytest.mark.parametrize(("sunday", "day_hours"), [(SPRING, 23), (AUTUMN, 25)])
def test_dst_sunday_has_23_or_25_hours(helper, sunday, day_hours):
    assert sunday.weekday() == SUN
    start, end = local(sunday, 0), local(sunday + timedelta(days=1), 0)
    assert free_for(helper, start, end) == day_hours  # flexible
    weekly_slots_set(actor=helper, slots=[(SUN, time(0), time(0))])  # all day Sunday
    assert free_for(helper, start, end) == day_hours
    weekend = local(sunday - timedelta(days=1), 0)
    weekly_slots_set(actor=helper, slots=[(5, time(0), time(0)), (SUN, time(0), time(0))])
    assert free_for(helper, weekend, end) == 24 + day_hours


@pytest.mark.parametrize(("sunday", "expected"), [(SPRING, 2), (AUTUMN, 4)])
def test_dst_night_slot_counts_wall_clock_hours(helper, sunday, expected):
    """Sunday 01:00-04:00: in spring 02:00 does not exist; in autumn it is lived twice."""
    weekly_slots_set(actor=helper, slots=[(SUN, time(1), time(4))])
    start, end = local(sunday, 0), local(sunday, 12)
    assert free_for(helper, start, end) == expected


def test_dst_absence_in_utc_blocks_the_right_local_hours(helper):
    """In autumn, an absence of one UTC hour removes one of the two local 02:00 hours."""
    weekly_slots_set(actor=helper, slots=[(SUN, time(1), time(4))])
    first_two_am = datetime(2027, 10, 31, 0, tzinfo=UTC)  # 02:00 CEST
    assert timezone.localtime(first_two_am).hour == 2
    AvailabilityException.objects.create(
        helper=helper, starts_at=first_two_am, ends_at=first_two_am + timedelta(hours=1)
    )
    assert free_for(helper, local(AUTUMN, 0), local(AUTUMN, 12)) == 3


def test_free_hours_takes_two_queries_for_50_helpers(
    customer, helper, django_assert_max_num_queries
):
    monday = next_monday()
    User.objects.bulk_create(
        User(email=f"bulk{n}@example.com", full_name=f"Helper {n}", is_helper=True)
        for n in range(49)
    )
    others = list(User.objects.filter(email__startswith="bulk").order_by("pk"))
    for user in others[:10]:
        AvailabilityException.objects.create(
            helper=user, starts_at=local(monday, 9), ends_at=local(monday, 10)
        )
    weekly_slots_set(actor=helper, slots=[(MON, time(8), time(12))])
    book(customer, helper, local(monday, 11), local(monday, 12))
    bitmaps = weekly_hours_bitmaps(helper_ids=[helper.pk, *(u.pk for u in others)])
    assert len(bitmaps) == 50
    with django_assert_max_num_queries(2):
        counts = free_hours(
            helpers=bitmaps, window_start=local(monday, 9), window_end=local(monday, 17)
        )
    assert counts[helper.pk] == 2  # 09, 10 (11 is booked)
    assert [counts[u.pk] for u in others] == [7] * 10 + [8] * 39


# --- the HTTP API ----------------------------------------------------------------------------


def client_for(user: User | None) -> Api:
    """The real /api/v1/ (as quartier.urls mounts it), with the user's bearer token."""
    return Api(user)


def test_api_set_and_read_weekly_slots(helper):
    client = client_for(helper)
    before = client.get("/me/availability")
    assert before.status_code == 200
    assert before.json()["flexible"] is True
    assert before.json()["time_zone"] == "Europe/Zurich"
    response = client.put(
        "/me/availability/weekly",
        {
            "slots": [
                {"weekday": 0, "start": "08:00", "end": "12:00"},
                {"weekday": 0, "start": "11:00", "end": "13:30"},
                {"weekday": 6, "start": "20:00", "end": "24:00"},
            ]
        },
    )
    assert response.status_code == 200
    expected = [
        {"weekday": 0, "start": "08:00", "end": "13:30"},
        {"weekday": 6, "start": "20:00", "end": "24:00"},
    ]
    assert response.json() == {"flexible": False, "slots": expected}
    after = client.get("/me/availability").json()
    assert after["slots"] == expected
    assert after["flexible"] is False


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        ({"weekday": 7, "start": "08:00", "end": "12:00"}, "slots.0.weekday"),
        ({"weekday": 0, "start": "12:00", "end": "08:00"}, "slots.0.end"),
        ({"weekday": 0, "start": "8 o'clock", "end": "12:00"}, "slots.0.start"),
    ],
)
def test_api_invalid_slot_is_a_422_problem_and_changes_nothing(helper, slot, field):
    weekly_slots_set(actor=helper, slots=[(SUN, time(10), time(16))])
    response = client_for(helper).put("/me/availability/weekly", {"slots": [slot]})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert slots_of(helper) == [(SUN, time(10), time(16))]


def test_api_add_list_and_remove_an_absence(helper):
    client = client_for(helper)
    monday = next_monday()
    created = client.post(
        "/me/availability/exceptions",
        {
            "starts_at": local(monday, 10).isoformat(),
            "ends_at": local(monday, 12).isoformat(),
            "reason": "Holiday",
        },
    )
    assert created.status_code == 201
    absence_id = created.json()["id"]
    assert created.json()["reason"] == "Holiday"
    listed = client.get("/me/availability").json()["exceptions"]
    assert [e["id"] for e in listed] == [absence_id]
    assert client.delete(f"/me/availability/exceptions/{absence_id}").status_code == 204
    assert client.get("/me/availability").json()["exceptions"] == []


def test_api_naive_or_reversed_absence_is_refused(helper):
    client = client_for(helper)
    monday = next_monday()
    naive = client.post(
        "/me/availability/exceptions",
        {"starts_at": f"{monday}T10:00:00", "ends_at": f"{monday}T12:00:00"},
    )
    assert naive.status_code == 422
    assert "starts_at" in naive.json()["errors"]
    reversed_ = client.post(
        "/me/availability/exceptions",
        {"starts_at": local(monday, 12).isoformat(), "ends_at": local(monday, 10).isoformat()},
    )
    assert reversed_.status_code == 422
    assert list(reversed_.json()["errors"]) == ["ends_at"]
    assert not AvailabilityException.objects.exists()


def test_api_another_helpers_absence_is_404(helper):
    monday = next_monday()
    absence = availability_exception_add(
        actor=helper, starts_at=local(monday, 10), ends_at=local(monday, 11)
    )
    rival = make_helper(email="rival@example.com")
    response = client_for(rival).delete(f"/me/availability/exceptions/{absence.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert AvailabilityException.objects.filter(pk=absence.pk).exists()


def test_api_customers_get_403_and_strangers_401(customer):
    response = client_for(customer).put(
        "/me/availability/weekly",
        {"slots": [{"weekday": 0, "start": "08:00", "end": "12:00"}]},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_helper"
    assert client_for(customer).get("/me/availability").status_code == 403
    assert client_for(None).get("/me/availability").status_code == 401
    assert not WeeklySlot.objects.exists()


def test_api_stranger_cannot_delete_by_guessing_ids(helper):
    monday = next_monday()
    absence = availability_exception_add(
        actor=helper, starts_at=local(monday, 10), ends_at=local(monday, 11)
    )
    stranger = make_customer(email="eve@example.com")
    assert (
        client_for(stranger).delete(f"/me/availability/exceptions/{absence.pk}").status_code == 404
    )
    assert client_for(None).delete(f"/me/availability/exceptions/{absence.pk}").status_code == 401
    assert AvailabilityException.objects.filter(pk=absence.pk).exists()
