"""What the faster paths of the engine must not change: whole free hours decided from the
weekly bitmap alone (helpers without absences or bookings), and the probe ordered by a bound
of the score rather than by quality alone (a crowd of top-rated helpers a few km away must
not crowd out good helpers next door)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.models import AvailabilityException
from quartier.catalog.models import Skill
from quartier.matching.engine import MatchQuery, rank
from quartier.matching.models import MatchIndex

from .test_engine_oracle import ANCHORS, LOCAL, SKILLS, assert_same, destination, index_row


@pytest.fixture
def pool(db: None) -> list[int]:
    users = User.objects.bulk_create(
        User(email=f"probe{i}@example.com", full_name=f"Helper {i}", is_helper=True)
        for i in range(30)
    )
    return [u.pk for u in users]


@pytest.fixture
def skill_ids(db: None) -> dict[str, int]:
    return dict(Skill.objects.filter(slug__in=SKILLS).values_list("slug", "id"))


def next_monday(hour: int, minute: int = 0) -> datetime:
    today = timezone.now().astimezone(LOCAL).date()
    day = today + timedelta(days=7 - today.weekday())
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def weekly(*monday_hours: int) -> str:
    return f"{sum(1 << h for h in monday_hours):042x}"  # Monday is weekday 0


@pytest.mark.django_db
def test_weekly_hours_must_hold_a_whole_hour_of_the_window(
    pool: list[int], skill_ids: dict[str, int]
) -> None:
    """Window 09:30-11:00: a helper working 09:00-10:00 only has half an hour of it."""
    lat, lon = ANCHORS["zurich"]
    skill = skill_ids["cleaning"]
    nine, ten = pool[0], pool[1]
    MatchIndex.objects.bulk_create(
        [
            index_row(nine, skill, *destination(lat, lon, 1.0, 0), weekly_hours=weekly(9)),
            index_row(ten, skill, *destination(lat, lon, 2.0, 0), weekly_hours=weekly(10)),
        ]
    )
    query = MatchQuery(
        skill_id=skill,
        latitude=lat,
        longitude=lon,
        window_start=next_monday(9, 30),
        window_end=next_monday(11),
    )

    assert [c.helper_id for c in rank(query)] == [ten]
    assert_same(query)


@pytest.mark.django_db
def test_a_window_without_a_whole_hour_matches_nobody(
    pool: list[int], skill_ids: dict[str, int]
) -> None:
    lat, lon = ANCHORS["zurich"]
    skill = skill_ids["cleaning"]
    MatchIndex.objects.bulk_create([index_row(pool[0], skill, lat, lon)])  # flexible
    query = MatchQuery(
        skill_id=skill,
        latitude=lat,
        longitude=lon,
        window_start=next_monday(10, 15),
        window_end=next_monday(11, 5),
    )

    assert rank(query) == []


@pytest.mark.django_db
def test_an_absence_over_part_of_the_window_leaves_the_other_hours(
    pool: list[int], skill_ids: dict[str, int]
) -> None:
    lat, lon = ANCHORS["zurich"]
    skill = skill_ids["cleaning"]
    partly, wholly = pool[0], pool[1]
    MatchIndex.objects.bulk_create(
        [
            index_row(partly, skill, *destination(lat, lon, 1.0, 90)),
            index_row(wholly, skill, *destination(lat, lon, 1.0, 270)),
        ]
    )
    start, end = next_monday(9), next_monday(12)
    AvailabilityException.objects.create(
        helper_id=partly, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    AvailabilityException.objects.create(helper_id=wholly, starts_at=start, ends_at=end)
    query = MatchQuery(
        skill_id=skill, latitude=lat, longitude=lon, window_start=start, window_end=end
    )

    assert [c.helper_id for c in rank(query)] == [partly]
    assert_same(query)


@pytest.mark.django_db
def test_top_rated_helpers_3_km_away_do_not_hide_good_ones_next_door(
    pool: list[int], skill_ids: dict[str, int]
) -> None:
    lat, lon = ANCHORS["berlin"]
    skill = skill_ids["tutoring"]
    stars = [
        index_row(
            h,
            skill,
            *destination(lat, lon, 3.0, 18 * i),
            rating_mean=5.0,
            reliability=1.0,
            response_minutes=0.0,
        )
        for i, h in enumerate(pool[:20])
    ]
    neighbours = [
        index_row(h, skill, *destination(lat, lon, 0.1, 36 * i), rating_mean=4.6)
        for i, h in enumerate(pool[20:30])
    ]
    MatchIndex.objects.bulk_create([*stars, *neighbours])
    query = MatchQuery(skill_id=skill, latitude=lat, longitude=lon, limit=10)

    assert {c.helper_id for c in rank(query)} == set(pool[20:30])
    assert_same(query)
