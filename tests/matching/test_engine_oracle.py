"""The engine's top k equals ranking every match-index row by brute force.

The oracle is written independently of engine.py: ranking.py's score functions, haversine
distance, each helper's own radius, the invitation cap, and availability as "at least one
whole hour of the window that the weekly bitmap allows (or the helper is flexible) and no
absence overlaps". Helpers are spread over CH and DE with clusters at the borders (Basel,
Konstanz), in cities and in the countryside, with radii up to the 100 km maximum.
"""

from __future__ import annotations

import math
import os
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import h3
import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.accounts.models import User
from quartier.bookings.models import AvailabilityException
from quartier.catalog.models import Skill
from quartier.geo.distance import EARTH_RADIUS_KM, haversine_km
from quartier.matching.engine import COARSE_RES, FINE_RES, MatchQuery, rank
from quartier.matching.models import MatchIndex
from quartier.matching.ranking import (
    distance_score,
    index_quality,
    ranking_params,
    static_quality,
)

LOCAL = ZoneInfo("Europe/Zurich")
ANCHORS = {
    "basel": (47.5596, 7.5886),  # CH / DE / FR border
    "konstanz": (47.6779, 9.1732),  # DE / CH border on the lake
    "zurich": (47.3769, 8.5417),
    "berlin": (52.5200, 13.4050),
    "uckermark": (53.1000, 13.9000),  # countryside
    "geneve": (46.2044, 6.1432),
}
SKILLS = ("tv-set-top-box", "cleaning", "tutoring")
POOL = 30


@pytest.fixture
def pool(db: None) -> list[int]:
    """Helper user ids the generated match-index rows belong to."""
    users = User.objects.bulk_create(
        User(email=f"oracle{i}@example.com", full_name=f"Helper {i}", is_helper=True)
        for i in range(POOL)
    )
    return [u.pk for u in users]


@pytest.fixture
def skill_ids(db: None) -> dict[str, int]:
    return dict(Skill.objects.filter(slug__in=SKILLS).values_list("slug", "id"))


# --- the oracle ----------------------------------------------------------------------------


def whole_hours(start: datetime, end: datetime) -> list[datetime]:
    hour = start.replace(minute=0, second=0, microsecond=0)
    if hour < start:
        hour += timedelta(hours=1)
    hours = []
    while hour + timedelta(hours=1) <= end:
        hours.append(hour)
        hour += timedelta(hours=1)
    return hours


def is_free(row: MatchIndex, query: MatchQuery, absences: list[tuple[datetime, datetime]]) -> bool:
    if query.window_start is None or query.window_end is None:
        return True
    weekly = int(row.weekly_hours, 16) if row.weekly_hours else None
    for hour in whole_hours(query.window_start, query.window_end):
        local = hour.astimezone(LOCAL)
        allowed = weekly is None or weekly >> (local.weekday() * 24 + local.hour) & 1
        away = any(s < hour + timedelta(hours=1) and e > hour for s, e in absences)
        if allowed and not away:
            return True
    return False


def oracle(query: MatchQuery) -> list[tuple[int, float]]:
    """Every available row of the skill, scored as ranking.py says, best rounded score first
    (equal rounded scores by helper id: the engine rotates them, see `assert_same`)."""
    params = ranking_params()
    partner = query.qualified_helper_ids is not None
    absences: dict[int, list[tuple[datetime, datetime]]] = {}
    for helper_id, start, end in AvailabilityException.objects.values_list(
        "helper_id", "starts_at", "ends_at"
    ):
        absences.setdefault(helper_id, []).append((start, end))
    ranked = []
    for row in MatchIndex.objects.filter(skill_id=query.skill_id):
        if row.helper_id in query.exclude_helper_ids:
            continue
        if partner and row.helper_id not in query.qualified_helper_ids:  # type: ignore[operator]
            continue
        if row.open_invitations >= django_settings.QUARTIER_MAX_OPEN_INVITATIONS:
            continue
        distance = haversine_km(query.latitude, query.longitude, row.latitude, row.longitude)
        if distance > row.radius_km or not is_free(row, query, absences.get(row.helper_id, [])):
            continue
        rating, kept, response, program, explore = static_quality(
            rating_mean=row.rating_mean,
            reliability_share=row.reliability,
            response_minutes=row.response_minutes,
            completed_jobs=row.completed_jobs,
            program_qualified=partner,
            params=params,
        )
        near = params["w_distance"] * distance_score(distance, params)
        score = near + rating + kept + response + program + explore  # ranking.py's order
        ranked.append(((-round(score, 3), row.helper_id), row.helper_id, score))
    ranked.sort()
    return [(helper_id, score) for _, helper_id, score in ranked]


def engine_answer(query: MatchQuery) -> list[tuple[int, float]]:
    return [(c.helper_id, c.score) for c in rank(query)]


def assert_same(query: MatchQuery) -> None:
    """The engine's list is the oracle's top `limit`, up to the order of equal rounded scores
    (which the engine rotates by the query's seed): same rounded scores place by place, the
    same helpers above the last place's rounded score, and each helper with its true score."""
    everyone = oracle(query)
    got, expected = engine_answer(query), everyone[: query.limit]
    assert [round(s, 3) for _, s in got] == [round(s, 3) for _, s in expected]
    cut = round(expected[-1][1], 3) if expected else None
    assert {h for h, s in got if round(s, 3) != cut} == {
        h for h, s in expected if round(s, 3) != cut
    }
    true_score = dict(everyone)
    assert len({h for h, _ in got}) == len(got)
    for helper_id, score in got:
        assert helper_id in true_score
        assert score == pytest.approx(true_score[helper_id], abs=1e-12)


# --- data ----------------------------------------------------------------------------------


def index_row(helper_id: int, skill_id: int, lat: float, lon: float, **fields: Any) -> MatchIndex:
    values: dict[str, Any] = {
        "radius_km": 10,
        "rating_mean": 4.2,
        "review_count": 0,
        "completed_jobs": 0,
        "reliability": 1.0,
        "response_minutes": None,
        "weekly_hours": "",
        "open_invitations": 0,
    } | fields
    values["quality"] = index_quality(
        rating_mean=values["rating_mean"],
        reliability_share=values["reliability"],
        response_minutes=values["response_minutes"],
        completed_jobs=values["completed_jobs"],
        params=ranking_params(),
    )
    return MatchIndex(
        helper_id=helper_id,
        skill_id=skill_id,
        latitude=lat,
        longitude=lon,
        cell_fine=h3.str_to_int(h3.latlng_to_cell(lat, lon, FINE_RES)),
        cell_coarse=h3.str_to_int(h3.latlng_to_cell(lat, lon, COARSE_RES)),
        joined_at=timezone.now(),
        **values,
    )


def next_hour() -> datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def place(anchor: str, dlat: float, dlon: float) -> tuple[float, float]:
    lat, lon = ANCHORS[anchor]
    return lat + dlat, lon + dlon


# Most helpers live around the request's anchor, from 1 km to 100 km away: so the scan's
# early stop (enough good helpers near, nobody far can beat them) is exercised as well.
spread = st.sampled_from([0.005, 0.01, 0.02, 0.05, 0.3, 1.0])
helper_data = st.fixed_dictionaries(
    {
        "anchor": st.sampled_from(["query"] * len(ANCHORS) + list(ANCHORS)),
        "spread": spread,
        "dlat": st.floats(-0.8, 0.8),
        "dlon": st.floats(-1.0, 1.0),
        "skills": st.sets(st.sampled_from(SKILLS), min_size=1),
        "radius_km": st.sampled_from([1, 3, 5, 8, 10, 12, 15, 25, 50, 80, 100]),
        "rating_mean": st.floats(1.0, 5.0),
        "completed_jobs": st.integers(0, 12),
        "reliability": st.floats(0.0, 1.0),
        "response_minutes": st.none() | st.floats(0.0, 3000.0),
        "weekly": st.none() | st.none() | st.integers(0, 2**168 - 1),
        "open_invitations": st.sampled_from([0, 0, 0, 1, 4, 5, 6]),
        "absence": st.none() | st.tuples(st.integers(0, 100), st.integers(1, 48)),
    }
)
query_data = st.fixed_dictionaries(
    {
        "anchor": st.sampled_from(list(ANCHORS)),
        "dlat": st.floats(-0.3, 0.3),
        "dlon": st.floats(-0.4, 0.4),
        "skill": st.sampled_from(SKILLS),
        "window": st.none() | st.tuples(st.integers(0, 14 * 48), st.integers(1, 48)),
        "limit": st.integers(1, 10),
        "seed": st.integers(0, 10**6),
        "partner": st.sampled_from([False, False, False, True]),
        "exclude": st.sets(st.integers(0, POOL - 1), max_size=3),
    }
)


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("ORACLE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(helpers=st.lists(helper_data, min_size=10, max_size=POOL), q=query_data)
def test_engine_top_k_equals_brute_force(
    pool: list[int],
    skill_ids: dict[str, int],
    helpers: list[dict[str, Any]],
    q: dict[str, Any],
) -> None:
    MatchIndex.objects.all().delete()
    AvailabilityException.objects.all().delete()
    start = next_hour()
    q_lat, q_lon = place(q["anchor"], q["dlat"], q["dlon"])
    rows, absences = [], []
    for helper_id, h in zip(pool, helpers, strict=False):
        base = (q_lat, q_lon) if h["anchor"] == "query" else ANCHORS[h["anchor"]]
        lat, lon = base[0] + h["dlat"] * h["spread"], base[1] + h["dlon"] * h["spread"]
        weekly = "" if h["weekly"] is None else f"{h['weekly']:042x}"
        for slug in h["skills"]:
            rows.append(
                index_row(
                    helper_id,
                    skill_ids[slug],
                    lat,
                    lon,
                    radius_km=h["radius_km"],
                    rating_mean=h["rating_mean"],
                    completed_jobs=h["completed_jobs"],
                    reliability=h["reliability"],
                    response_minutes=h["response_minutes"],
                    weekly_hours=weekly,
                    open_invitations=h["open_invitations"],
                )
            )
        if h["absence"]:
            offset, length = h["absence"]
            away = start + timedelta(hours=offset)
            absences.append(
                AvailabilityException(
                    helper_id=helper_id, starts_at=away, ends_at=away + timedelta(hours=length)
                )
            )
    MatchIndex.objects.bulk_create(rows)
    AvailabilityException.objects.bulk_create(absences)
    window_start = window_end = None
    if q["window"]:
        half_hours, length = q["window"]
        window_start = start + timedelta(minutes=30 * half_hours)
        window_end = window_start + timedelta(minutes=30 * length)
    present = pool[: len(helpers)]
    query = MatchQuery(
        skill_id=skill_ids[q["skill"]],
        latitude=q_lat,
        longitude=q_lon,
        window_start=window_start,
        window_end=window_end,
        limit=q["limit"],
        exclude_helper_ids={pool[i] for i in q["exclude"]},
        qualified_helper_ids=present[::2] if q["partner"] else None,
        seed=q["seed"],
    )

    assert_same(query)


def destination(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """The point `km` away from (lat, lon) on the sphere haversine uses, along a bearing."""
    phi, lmb, theta = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    delta = km / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    lmb2 = lmb + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), math.degrees(lmb2)


@pytest.mark.django_db
@pytest.mark.parametrize("anchor", ["basel", "konstanz", "berlin"])
@pytest.mark.parametrize("radius", [1, 3, 15, 50, 100])
@pytest.mark.parametrize("bearing", [0, 90, 225])
def test_radius_edge_is_exact(
    pool: list[int], skill_ids: dict[str, int], anchor: str, radius: int, bearing: int
) -> None:
    """10 m inside the helper's radius is a match, 10 m outside is not, exactly at it is
    whatever haversine says; each also agrees with the oracle."""
    lat, lon = ANCHORS[anchor]
    skill = skill_ids["cleaning"]
    offsets = {"inside": -0.010, "edge": 0.0, "outside": 0.010}
    homes = {
        name: destination(lat, lon, radius + km, bearing + 40 * i)
        for i, (name, km) in enumerate(offsets.items())
    }
    helper_of = dict(zip(offsets, pool, strict=False))
    MatchIndex.objects.bulk_create(
        index_row(helper_of[name], skill, *home, radius_km=radius) for name, home in homes.items()
    )
    query = MatchQuery(
        skill_id=skill,
        latitude=lat,
        longitude=lon,
        window_start=next_hour(),
        window_end=next_hour() + timedelta(hours=4),
    )

    found = {helper_id for helper_id, _ in engine_answer(query)}

    assert helper_of["inside"] in found
    assert helper_of["outside"] not in found
    edge_distance = haversine_km(lat, lon, *homes["edge"])
    assert abs(edge_distance - radius) < 1e-6
    assert (helper_of["edge"] in found) == (edge_distance <= radius)
    assert_same(query)


@pytest.mark.django_db
def test_a_far_better_helper_beats_ten_good_near_ones(
    pool: list[int], skill_ids: dict[str, int]
) -> None:
    """The scan may stop early only when nobody unread can score more: ten fair helpers at
    500 m (score ~0.58) must not hide an excellent one 6 km away (~0.75)."""
    lat, lon = ANCHORS["zurich"]
    skill = skill_ids["tv-set-top-box"]
    near = [
        index_row(h, skill, *destination(lat, lon, 0.5, 36 * i), rating_mean=3.0, reliability=0.6)
        for i, h in enumerate(pool[:10])
    ]
    star = pool[10]
    far = index_row(
        star,
        skill,
        *destination(lat, lon, 6.0, 0),
        radius_km=10,
        rating_mean=5.0,
        reliability=1.0,
        response_minutes=0.0,
    )
    MatchIndex.objects.bulk_create([*near, far])
    query = MatchQuery(skill_id=skill, latitude=lat, longitude=lon, limit=10)

    assert engine_answer(query)[0][0] == star
    assert_same(query)


@pytest.mark.django_db
@pytest.mark.parametrize("anchor", ["uckermark", "basel"])
def test_a_lone_helper_99_km_away_with_a_100_km_radius_is_found(
    pool: list[int], skill_ids: dict[str, int], anchor: str
) -> None:
    lat, lon = ANCHORS[anchor]
    skill = skill_ids["tutoring"]
    MatchIndex.objects.bulk_create(
        [index_row(pool[0], skill, *destination(lat, lon, 99.0, 135), radius_km=100)]
    )

    assert [
        h for h, _ in engine_answer(MatchQuery(skill_id=skill, latitude=lat, longitude=lon))
    ] == [pool[0]]
