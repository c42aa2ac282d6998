"""Candidate generation and ranking: the best nearby helpers for one skill at one place.

Every helper's score is `w_distance · distance_score(distance) + quality` (+ the program weight
in partner cases), where `quality` is stored on the match-index row (ranking.index_quality).
Two reads of the index (scan.py), whatever the density:

1. A probe: the helpers of the nearest fine h3 cells (resolution 7, edge ~1.4 km) whose own
   radius may reach the request, best bound of their score first (stored quality + the
   distance part at a lower bound of their own distance, scan.UB, worked out in SQL),
   widened once when too few are free. The `limit`-th available one gives a score to beat.
2. A sweep of everything that can still beat it: nobody farther than the distance at which
   even the skill's best stored quality falls short (and never beyond the skill's widest
   radius); nearer cells only yield helpers whose radius reaches the cell and whose quality
   makes up for the cell's distance, and each row's bound must reach the score to beat.
   Fine cells up to ~8 km, coarse cells (resolution 5) beyond. Skipped when the probe read
   its disk down to the score to beat and nobody outside the disk can reach it.

Rows come back best bound first; Python scores them only until a bound falls below the score
to beat (`_Pool`), about 20 rows a request at 1M helpers where it scored all ~120.

Both filters are lower bounds of distance and exact quality thresholds, so the answer equals
ranking every helper in the country (the brute-force oracle in the tests and the benchmark
check exactly this). Availability is checked before a score becomes the one to beat: a whole
hour of the window on the weekly hours from the row (`free_hour_mask`, no query); absences
and bookings flagged by the scan's own statements (an EXISTS per returned row), so only
flagged helpers among the best cost `free_hours` and a query of their own.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

import h3
from django.conf import settings
from django.utils import timezone

from quartier.bookings.availability import MAX_WINDOW, busy_overlap_params, free_hours
from quartier.geo.distance import haversine_km

from . import scan
from .ranking import (
    ScoreParts,
    distance_for_score,
    distance_score,
    ranking_params,
    static_quality,
)

FINE_RES, COARSE_RES = scan.FINE_RES, 5
#: Probe: fine grid disks (k) read for the best-quality helpers near the request, and how many.
PROBE_K, PROBE_ROWS = (2, 6), 80
#: The sweep reads fine cells up to this grid distance (~8 km), coarse cells beyond.
FINE_RINGS = 6
#: Partner programs with at most this many helpers are ranked by reading just their rows.
PROGRAM_DIRECT = 2000
# Cells sit within one edge of their centre and h3 edges vary a little in size over Europe:
# a safety factor keeps the "everything within G has been read" promise conservative.
_SAFETY = 0.85
_EDGE_KM = {res: h3.average_hexagon_edge_length(res, "km") for res in (FINE_RES, COARSE_RES)}


@dataclass(frozen=True, slots=True)
class Candidate:
    helper_id: int
    distance_km: float
    radius_km: int
    rating_mean: float
    review_count: int
    completed_jobs: int
    reliability: float
    response_minutes: float | None
    weekly_hours: int | None
    parts: ScoreParts
    tie_break: int = field(compare=False)

    @property
    def score(self) -> float:
        return self.parts.total


@dataclass(frozen=True)
class MatchQuery:
    skill_id: int
    latitude: float
    longitude: float
    window_start: datetime | None = None
    window_end: datetime | None = None
    limit: int = 10
    exclude_helper_ids: Collection[int] = ()
    qualified_helper_ids: Collection[int] | None = None  # partner programs: only these
    seed: int = 0  # varies the order among equal scores from one request to the next


class AvailabilityCheck:
    """Is a candidate free in the request's window? Weekly hours first (from the index row,
    free): a helper is free when a whole hour of the window falls on their weekly hours
    (`free_hour_mask`, exactly as `availability.free_hours` counts hours) and no absence nor
    live booking overlaps it. Helpers the scan found without any absence or booking in the
    window (`unbooked`) are settled by the bitmap alone; the others, among the best candidates
    only, by `free_hours` (one query per chunk, none when `busy` was read beforehand with
    `availability.busy_intervals`)."""

    def __init__(
        self,
        window_start: datetime | None,
        window_end: datetime | None,
        busy: Mapping[int, Sequence[tuple[datetime, datetime]]] | None = None,
    ) -> None:
        self.window = (window_start, window_end) if window_start and window_end else None
        self.mask, self.any_hour = (
            free_hour_mask(window_start, window_end) if window_start and window_end else (0, True)
        )
        self.busy = busy
        self.free: dict[int, bool] = {}
        #: Helpers known to have no absence nor live booking in the window (their free hours
        #: follow from the weekly bitmap alone, no query needed).
        self.unbooked: set[int] = set()

    def weekly_ok(self, candidate: Candidate) -> bool:
        if self.window is None:
            return True
        weekly = candidate.weekly_hours
        return self.any_hour and (weekly is None or bool(weekly & self.mask))

    def weekly_hex_ok(self, weekly: str) -> bool:
        """`weekly_ok` from a match-index row's weekly_hours (hex), before any scoring."""
        if self.window is None:
            return True
        return self.any_hour and (not weekly or bool(int(weekly, 16) & self.mask))

    def confirm(self, pool: list[Candidate], limit: int) -> list[Candidate]:
        """The first `limit` candidates of `pool` (ranked) with a free hour in the window."""
        if self.window is None:
            return pool[:limit]
        confirmed: list[Candidate] = []
        for start in range(0, len(pool), 2 * limit):
            chunk = pool[start : start + 2 * limit]
            booked: dict[int, int | None] = {}
            for c in chunk:
                if c.helper_id in self.free:
                    continue
                if c.helper_id in self.unbooked:
                    self.free[c.helper_id] = self.weekly_ok(c)  # nothing else can block
                else:
                    booked[c.helper_id] = c.weekly_hours
            if booked:
                hours = free_hours(
                    helpers=booked,
                    window_start=self.window[0],
                    window_end=self.window[1],
                    busy=self.busy,
                )
                for helper_id in booked:
                    self.free[helper_id] = hours.get(helper_id, 0) >= 1
            confirmed += [c for c in chunk if self.free[c.helper_id]]
            if len(confirmed) >= limit:
                break
        return confirmed[:limit]


def weekly_mask(window_start: datetime | None, window_end: datetime | None) -> int:
    """Bits (weekday·24 + local hour) of every hour the window touches, one week at most."""
    if not window_start or not window_end:
        return 0
    return _weekly_mask(window_start, window_end, timezone.get_current_timezone())


@functools.lru_cache(maxsize=4096)
def _weekly_mask(window_start: datetime, window_end: datetime, zone: tzinfo) -> int:
    mask, hour = 0, window_start.replace(minute=0, second=0, microsecond=0)
    end = min(window_end, window_start + timedelta(days=7, hours=1))
    while hour < end:
        local = hour.astimezone(zone)
        mask |= 1 << (local.weekday() * 24 + local.hour)
        hour += timedelta(hours=1)
    return mask


def free_hour_mask(window_start: datetime, window_end: datetime) -> tuple[int, bool]:
    """The weekly bits (weekday·24 + local hour) of the whole hours inside the window, as
    `availability.free_hours` counts them (from the first whole UTC hour, at most
    MAX_WINDOW), and whether the window holds a whole hour at all. Without absences and
    bookings, a helper is free exactly when their weekly bitmap shares a bit with it."""
    return _free_hour_mask(window_start, window_end, timezone.get_current_timezone())


@functools.lru_cache(maxsize=4096)
def _free_hour_mask(window_start: datetime, window_end: datetime, zone: tzinfo) -> tuple[int, bool]:
    start = window_start.astimezone(UTC)
    first = start.replace(minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(hours=1)
    end = min(window_end, window_start + MAX_WINDOW)
    count = max(0, (end - first) // timedelta(hours=1))
    mask = 0
    for index in range(min(count, 8 * 24)):  # eight days cover every weekly hour
        local = (first + timedelta(hours=index)).astimezone(zone)
        mask |= 1 << (local.weekday() * 24 + local.hour)
    return mask, count > 0


def bounding_box(latitude: float, longitude: float, km: float) -> dict[str, float]:
    """Latitude/longitude bounds (ORM lookups) of a square around a point, for coarse filters."""
    dlat = km / 111.32
    dlon = km / (111.32 * max(0.01, math.cos(math.radians(latitude))))
    return {
        "latitude__gte": latitude - dlat,
        "latitude__lte": latitude + dlat,
        "longitude__gte": longitude - dlon,
        "longitude__lte": longitude + dlon,
    }


def covered_within(res: int, k: int) -> float:
    """Every home within this many km of the query point lies in the grid disk of radius k."""
    return max(0.0, _SAFETY * (1.5 * k - 2) * float(_EDGE_KM[res]))


def score_row(row: scan.Row, query: MatchQuery, params: dict[str, float]) -> Candidate | None:
    """Score one index row, or None when the helper's own radius does not reach the request."""
    (helper_id, lat, lon, radius, rating_mean, reviews, jobs, kept, response, weekly, _) = row[:11]
    distance = haversine_km(query.latitude, query.longitude, lat, lon)
    if distance > radius:
        return None
    d = params["w_distance"] * distance_score(distance, params)
    rating, rel, resp, program, explore = static_quality(
        rating_mean=rating_mean,
        reliability_share=kept,
        response_minutes=response,
        completed_jobs=jobs,
        program_qualified=query.qualified_helper_ids is not None,
        params=params,
    )
    parts = ScoreParts(
        d, rating, rel, resp, program, explore, d + rating + rel + resp + program + explore
    )
    return Candidate(
        helper_id=helper_id,
        distance_km=distance,
        radius_km=radius,
        rating_mean=rating_mean,
        review_count=reviews,
        completed_jobs=jobs,
        reliability=kept,
        response_minutes=response,
        weekly_hours=int(weekly, 16) if weekly else None,
        parts=parts,
        # Integer hashing is not randomised per process, so the order is reproducible.
        tie_break=hash((query.seed, helper_id)),
    )


def rank_key(candidate: Candidate) -> tuple[float, int]:
    """Best first; equal scores (to 3 decimals) take turns, varying with the query's seed."""
    return (-round(candidate.score, 3), candidate.tie_break)


class _Pool:
    """The candidates of one request so far, and the score to beat: the `limit`-th best score
    among helpers surely free (weekly hours, no absence nor booking flagged), rounded as
    ranking compares scores. Rows arrive best bound first (scan.UB), so reading stops at
    the first row whose bound falls below it: neither it nor any later row can rank."""

    def __init__(self, query: MatchQuery, available: AvailabilityCheck) -> None:
        self.query, self.available, self.params = query, available, ranking_params()
        self.program = self.params["w_program"] if query.qualified_helper_ids is not None else 0
        self.cap = settings.QUARTIER_MAX_OPEN_INVITATIONS
        self.excluded, self.seen = set(query.exclude_helper_ids), set[int]()
        ids = query.qualified_helper_ids
        self.qualified = None if ids is None else set(ids)
        self.pool: list[Candidate] = []
        self.sure: list[float] = []  # a heap of the best `limit` surely free scores
        self.cutoff = -math.inf

    def take(
        self, rows: list[scan.Row], final: bool = True, ordered: bool = True
    ) -> list[Candidate]:
        """Score the rows not met before; the best `limit` available candidates so far.
        `ordered`: the rows carry their bound (scan.UB_AT) and come best bound first."""
        limit, available = self.query.limit, self.available
        for row in rows:
            if ordered and row[scan.UB_AT] + self.program + 1e-9 < self.cutoff:
                break
            helper_id = row[0]
            if helper_id in self.seen or helper_id in self.excluded or row[10] >= self.cap:
                continue
            if self.qualified is not None and helper_id not in self.qualified:
                continue
            self.seen.add(helper_id)
            if not available.weekly_hex_ok(row[9]):
                continue  # never free in the window: not worth scoring
            if not row[11]:
                available.unbooked.add(helper_id)
            candidate = score_row(row, self.query, self.params)
            if candidate is None or candidate.score + 1e-9 < self.cutoff:
                continue
            self.pool.append(candidate)
            if not row[11]:  # surely free: its score may set the score to beat
                push = heapq.heappush if len(self.sure) < limit else heapq.heappushpop
                push(self.sure, candidate.score)
                if len(self.sure) >= limit:
                    self.cutoff = max(self.cutoff, round(self.sure[0], 3) - 0.0005 - 1e-9)
        self.pool.sort(key=rank_key)
        if not final and len(self.pool) < limit:
            return self.pool  # too few to set a score to beat: no need to check them yet
        return available.confirm(self.pool, limit)


def rank(query: MatchQuery, available: AvailabilityCheck | None = None) -> list[Candidate]:
    """The top `query.limit` helpers for `query`, best first, each available in the window."""
    available = available or AvailabilityCheck(query.window_start, query.window_end)
    found = _Pool(query, available)
    params, program = found.params, found.program
    if query.limit <= 0:
        return []
    window, qualified = (query.window_start, query.window_end), found.qualified
    if qualified is not None and len(qualified) <= PROGRAM_DIRECT:
        # A partner program's few helpers: read their rows and rank them all.
        rows = scan.helper_rows(query.skill_id, sorted(qualified), window) if qualified else []
        return found.take(rows, ordered=False)
    lat, lon = query.latitude, query.longitude
    reach, busy = float(settings.QUARTIER_MAX_SERVICE_RADIUS_KM), busy_overlap_params(*window)

    # 1. Probe: the helpers of the nearest fine cells with the best bound of their score
    #    give a score to beat; where they are too few (countryside, a night-time window), a
    #    wider disk. It also brings the skill's bounds.
    confirmed: list[Candidate] = []
    bounds: tuple[float, int] | None = None
    for k in PROBE_K:
        probe = scan.Scan(query.skill_id, lat, lon, reach, window, busy_params=busy, weights=params)
        rows, bounds = probe.probe(k, PROBE_ROWS)
        if bounds is None:
            return []
        confirmed = found.take(rows, final=False)
        if len(confirmed) >= query.limit:
            break
    assert bounds is not None
    best_quality, widest = bounds
    reach = min(reach, float(widest))
    need = None
    if len(confirmed) >= query.limit:
        last = confirmed[query.limit - 1].score
        reach, need = _score_to_beat(last, best_quality, program, reach, params)
        found.cutoff = max(found.cutoff, round(last, 3) - 0.0005 - 1e-9)  # _score_to_beat's
        if _probe_settles(found, rows, best_quality, k):
            return confirmed
    # 2. Sweep: everything else that can still beat it, in one statement.
    disks = _sweep_disks(reach)
    sweep = scan.Scan(
        query.skill_id, lat, lon, reach, window, need, busy_params=busy, weights=params
    )
    floor = found.cutoff - program - 1e-9  # below it, no row can rank
    return found.take(sweep.sweep(disks, floor))[: query.limit]


def _probe_settles(found: _Pool, rows: list[scan.Row], best_quality: float, k: int) -> bool:
    """Whether nobody the probe left unread can beat the score to beat: it read its disk
    down to that score, and every helper outside the disk is farther than it surely covers."""
    rest = rows[-1][scan.UB_AT] if len(rows) >= PROBE_ROWS else -math.inf
    params = found.params
    outside = best_quality + params["w_distance"] * distance_score(
        covered_within(FINE_RES, k), params
    )
    return max(rest, outside) + found.program + 1e-9 < found.cutoff


def _score_to_beat(
    last: float, best_quality: float, program: float, reach: float, params: dict[str, float]
) -> tuple[float, list[tuple[float, float]]]:
    """From the last place's score: how far a helper can still be to beat it, and the
    quality needed at each distance band's near edge."""
    # Ranking compares scores rounded to 3 decimals (then takes turns): a helper scoring
    # below this rounds below the last place's score and ranks after it.
    threshold = round(last, 3) - 0.0005 - 1e-9
    beyond = distance_for_score(threshold - best_quality - program - 1e-9, params)
    reach = min(reach, beyond + 1e-6)
    need = [
        (edge, threshold - program - params["w_distance"] * distance_score(edge, params) - 1e-9)
        for edge in [0.0, *[b for b in scan.BANDS_KM if b < reach]]
    ]
    return reach, need


def _sweep_disks(reach: float) -> list[tuple[str, int, int, float]]:
    """The h3 disks that cover `reach` km: fine cells, then coarse ones beyond them."""
    fine_k = next(
        (k for k in range(FINE_RINGS + 1) if covered_within(FINE_RES, k) >= reach), FINE_RINGS
    )
    fine_km = covered_within(FINE_RES, fine_k)
    disks = [("cell_fine", FINE_RES, fine_k, 0.0)]
    if fine_km < reach:
        coarse_k = next(k for k in range(1, 200) if covered_within(COARSE_RES, k) >= reach)
        # Homes nearer than fine_km all lie in the fine disk: coarse cells start there.
        disks.append(("cell_coarse", COARSE_RES, coarse_k, fine_km))
    return disks
