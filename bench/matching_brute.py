"""Brute force: score every helper of the skill in numpy, the oracle the engine must equal.

Same filters and score as the engine, written independently: the helper offers the skill,
has fewer than the cap of open invitations, their own radius covers the request (haversine),
their weekly bitmap allows an hour of the window (or they are flexible), and absences and live
(not cancelled) bookings leave at least one whole free hour. Score: ranking.py's formula,
vectorised. Order: best rounded score first, ties by the engine's seeded turn
(`hash((seed, helper_id))`); the benchmark reports differences among equal rounded scores
at the 10th place apart from real mismatches, so a change of that rule shows up as ties.

numpy's transcendental functions may differ from libm's by an ulp, so the vectorised pass
only shortlists; the shortlist is re-scored exactly in plain Python (ranking.py's functions)
and widened until no candidate outside it can reach the 10th place.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from bench.matching_data import SKILLS, WORD_BITS

EARTH_RADIUS_KM = 6371.0088
LOCAL = ZoneInfo("Europe/Zurich")
HOUR = timedelta(hours=1)

#: (helper id, exact score) of one ranked candidate.
Ranked = tuple[int, float]


def window_hours(start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """Each whole hour of [start, end) (at most a week) with its weekly bit (weekday*24+hour)."""
    hours = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    if hour < start:
        hour += HOUR
    stop = min(end, start + timedelta(days=7))
    while hour + HOUR <= stop:
        local = hour.astimezone(LOCAL)
        hours.append((hour, local.weekday() * 24 + local.hour))
        hour += HOUR
    return hours


def mask_words(hours: list[tuple[datetime, int]]) -> tuple[int, int, int]:
    """The window's weekly bits as three 56-bit words (the data set's layout)."""
    words = [0, 0, 0]
    for _, bit in hours:
        words[bit // WORD_BITS] |= 1 << (bit % WORD_BITS)
    return words[0], words[1], words[2]


def parse_busy(busy: dict[str, list[list[object]]]) -> dict[int, list[tuple[datetime, datetime]]]:
    """Per helper, the intervals they cannot work: absences and live bookings."""
    blocked: dict[int, list[tuple[datetime, datetime]]] = {}
    for helper, start, end in busy["absences"]:
        blocked.setdefault(int(str(helper)), []).append(
            (datetime.fromisoformat(str(start)), datetime.fromisoformat(str(end)))
        )
    for helper, start, end, cancelled in busy["bookings"]:
        if cancelled is None:
            blocked.setdefault(int(str(helper)), []).append(
                (datetime.fromisoformat(str(start)), datetime.fromisoformat(str(end)))
            )
    return blocked


class BruteForce:
    """Every match-index row of the data set in memory, partitioned by skill."""

    def __init__(
        self,
        data: dict[str, np.ndarray],
        busy: dict[str, list[list[object]]],
        params: dict[str, float],
        cap: int,
    ) -> None:
        self.params = params
        self.blocked = parse_busy(busy)
        order = np.argsort(data["skill"], kind="stable")
        bounds = np.searchsorted(data["skill"][order], np.arange(SKILLS + 1))
        p = params
        response = data["response_minutes"]
        static = (
            p["w_rating"] * np.clip((data["rating_mean"] - 1.0) / 4.0, 0.0, 1.0)
            + p["w_reliability"] * data["reliability"]
            + p["w_response"] * np.where(np.isnan(response), 0.5, 1.0 / (1.0 + response / 60.0))
            + p["w_exploration"]
            * np.maximum(0.0, 1.0 - data["completed_jobs"] / p["exploration_jobs"])
        )
        self.skills: list[dict[str, np.ndarray]] = []
        for skill in range(SKILLS):
            rows = order[bounds[skill] : bounds[skill + 1]]
            rows = rows[data["open_invitations"][rows] < cap]
            lat = data["latitude"][rows]
            self.skills.append(
                {
                    "helper_id": data["helper_id"][rows],
                    "latitude": lat,
                    "longitude": data["longitude"][rows],
                    "lat_rad": np.radians(lat),
                    "lon_rad": np.radians(data["longitude"][rows]),
                    "cos_lat": np.cos(np.radians(lat)),
                    "radius": data["radius_km"][rows].astype(np.float64),
                    "static": static[rows],
                    "rating_mean": data["rating_mean"][rows],
                    "reliability": data["reliability"][rows],
                    "response_minutes": response[rows],
                    "completed_jobs": data["completed_jobs"][rows],
                    "words": data["words"][rows],
                    "flexible": data["flexible"][rows],
                }
            )

    def rank(
        self,
        *,
        skill: int,
        latitude: float,
        longitude: float,
        window_start: datetime,
        window_end: datetime,
        seed: int,
        limit: int = 10,
    ) -> list[Ranked]:
        s = self.skills[skill]
        hours = window_hours(window_start, window_end)
        m0, m1, m2 = mask_words(hours)
        phi = math.radians(latitude)
        dphi = s["lat_rad"] - phi
        dlmb = s["lon_rad"] - math.radians(longitude)
        a = np.sin(dphi / 2) ** 2 + math.cos(phi) * s["cos_lat"] * np.sin(dlmb / 2) ** 2
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        words = s["words"]
        weekly = (
            s["flexible"]
            | (((words[:, 0] & np.uint64(m0)) | (words[:, 1] & np.uint64(m1))) != 0)
            | ((words[:, 2] & np.uint64(m2)) != 0)
        )
        ok = np.flatnonzero((distance <= s["radius"] + 1e-9) & weekly)
        approx = (
            self.params["w_distance"] * 0.5 ** (distance[ok] / self.params["distance_half_km"])
            + s["static"][ok]
        )
        k = 4 * limit
        while True:
            if len(ok) > k:
                part = np.argpartition(-approx, k)[:k]
                short, floor = ok[part], float(approx[part].min())
            else:
                short, floor = ok, -math.inf
            confirmed = self._confirm(s, short, latitude, longitude, hours, seed, limit)
            done = len(confirmed) >= limit and (
                floor < round(confirmed[limit - 1][1], 3) - 0.0005 - 1e-9
            )
            if done or len(ok) <= k:
                return confirmed
            k *= 4

    def _confirm(
        self,
        s: dict[str, np.ndarray],
        rows: np.ndarray,
        latitude: float,
        longitude: float,
        hours: list[tuple[datetime, int]],
        seed: int,
        limit: int,
    ) -> list[Ranked]:
        """Exact scores of `rows`, ranked, keeping the first `limit` free in the window."""
        from quartier.geo.distance import haversine_km
        from quartier.matching.ranking import distance_score, static_quality

        p = self.params
        keyed = []
        for row in rows.tolist():
            distance = haversine_km(latitude, longitude, s["latitude"][row], s["longitude"][row])
            if distance > s["radius"][row]:
                continue
            response = float(s["response_minutes"][row])
            rating, kept, answer, program, explore = static_quality(
                rating_mean=float(s["rating_mean"][row]),
                reliability_share=float(s["reliability"][row]),
                response_minutes=None if math.isnan(response) else response,
                completed_jobs=int(s["completed_jobs"][row]),
                program_qualified=False,
                params=p,
            )
            d = p["w_distance"] * distance_score(distance, p)
            score = d + rating + kept + answer + program + explore
            helper = int(s["helper_id"][row])
            tie = hash((seed, helper))  # the engine's turn-taking among equal rounded scores
            keyed.append(((-round(score, 3), tie), helper, score, row))
        keyed.sort()
        confirmed: list[Ranked] = []
        for _, helper, score, row in keyed:
            if self._free(s, row, helper, hours):
                confirmed.append((helper, score))
                if len(confirmed) == limit:
                    break
        return confirmed

    def _free(
        self, s: dict[str, np.ndarray], row: int, helper: int, hours: list[tuple[datetime, int]]
    ) -> bool:
        blocked = self.blocked.get(helper, [])
        flexible = bool(s["flexible"][row])
        words = [int(w) for w in s["words"][row]]
        for start, bit in hours:
            if not flexible and not words[bit // WORD_BITS] >> (bit % WORD_BITS) & 1:
                continue
            if not any(b_start < start + HOUR and b_end > start for b_start, b_end in blocked):
                return True
        return False
