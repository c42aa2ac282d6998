"""Synthetic helpers and requests for the matching benchmark, spread like CH + DE people.

Where people live: the postcode table (`load_postcodes()`, the very records `quartier import
postcodes` writes as Postcode rows: country, locality, latitude, longitude). No installed
package ships populations, so a postcode's weight is a proxy:

    weight(postcode) ~ (postcodes of its locality) ** a,   a = 0.15 in DE, 0.7 in CH,

normalised so each country keeps its population share (CH 9.0 M, DE 84.7 M). Cities have many
postcodes (Berlin 190, Hamburg 99, Zürich 23). German postcode areas hold roughly equal numbers
of people, so a small exponent suffices there; a Swiss postcode is one locality, village or
city, so cities need a larger one. The exponents were fitted to the population shares of the
five largest cities of each country (e.g. Berlin 4.5 % of DE helpers vs 4.4 % of people,
Zürich 5.7 % vs 4.9 %, Basel 1.6 % vs 2.0 %). Each point is jittered by a Gaussian of 3 km
for a one-postcode village down to 0.8 km in cities, so helpers do not pile up on centroids.

Helpers are generated in blocks of 10,000 from per-block seeds, so the first N helpers of
the 1 M data set are exactly the N-helper data set: sizes are prefixes of one another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import h3.api.basic_int as h3i
import numpy as np

from quartier.catalog.taxonomy import TAXONOMY

# Kept equal to quartier.matching.engine.FINE_RES / COARSE_RES (checked by the worker).
FINE_RES, COARSE_RES = 7, 5
POPULATION_M = {"CH": 9.0, "DE": 84.7}
CITY_EXPONENT = {"CH": 0.7, "DE": 0.15}
BLOCK = 10_000
#: The seeded skill catalog, in order; data sets hold an index into it.
SKILL_SLUGS = [slug for _, skills in TAXONOMY for slug, _, _ in skills]
SKILLS = len(SKILL_SLUGS)
WORD_BITS = 56  # weekly bitmaps as three 56-bit words: positive in int64 / bigint columns
DATA_VERSION = 4

# Local weekly patterns (weekdays 0 = Monday .. 6, [start, end) hours).
_TEMPLATES: list[list[tuple[int, int, int]]] = [
    [(d, 17, 21) for d in range(5)],  # weekday evenings
    [(d, 9, 18) for d in (5, 6)],  # weekends
    [(d, 8, 17) for d in range(5)],  # office hours
    [(d, 7, 12) for d in range(6)],  # mornings
    [(d, 8, 20) for d in range(6)],  # most of the week
    [(d, 13, 19) for d in (0, 2, 4, 5)],  # afternoons, some days
]


@dataclass
class Places:
    latitude: np.ndarray
    longitude: np.ndarray
    jitter_km: np.ndarray
    probability: np.ndarray

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """n population-weighted points (degrees), jittered around postcode centroids."""
        index = rng.choice(len(self.probability), size=n, p=self.probability)
        sigma = self.jitter_km[index]
        dlat = rng.normal(0.0, 1.0, n) * sigma / 111.32
        lat = self.latitude[index] + dlat
        coslat = np.cos(np.radians(lat))
        lon = self.longitude[index] + rng.normal(0.0, 1.0, n) * sigma / (111.32 * coslat)
        return lat, lon


def load_places() -> Places:
    """The postcode table as weighted sampling points (see the module docstring)."""
    from collections import Counter

    from quartier.geo.gazetteer import load_postcodes

    records = load_postcodes()
    per_locality = Counter((r.country, r.locality) for r in records)
    per_country = Counter(r.country for r in records)
    lat = np.array([r.latitude for r in records])
    lon = np.array([r.longitude for r in records])
    size = np.array([per_locality[(r.country, r.locality)] for r in records], dtype=float)
    country = np.array([r.country for r in records])
    weight = size ** np.array([CITY_EXPONENT[c] for c in country])
    total_pop = sum(POPULATION_M[c] for c in per_country)
    probability = np.zeros(len(records))
    for code in per_country:
        mine = country == code
        probability[mine] = weight[mine] / weight[mine].sum() * POPULATION_M[code] / total_pop
    jitter = np.maximum(0.8, 3.0 / (1.0 + np.log(size)))
    return Places(lat, lon, jitter, probability / probability.sum())


def skill_popularity() -> np.ndarray:
    """Skewed demand and supply over the skills: Zipf-like over a fixed shuffle of the catalog."""
    order = np.random.default_rng(7).permutation(SKILLS)
    weights = 1.0 / (order + 1.0) ** 0.8
    return np.asarray(weights / weights.sum(), dtype=float)


def _template_bits() -> np.ndarray:
    bits = np.zeros((len(_TEMPLATES), 7 * 24), dtype=bool)
    for t, blocks in enumerate(_TEMPLATES):
        for day, start, end in blocks:
            bits[t, day * 24 + start : day * 24 + end] = True
    return bits


def _weekly_words(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Weekly bitmaps (n x 3 words of 56 bits) and the flexible flags (about 30 %).

    A helper with a calendar follows one of a few templates, or a personal pattern (one
    block on each of three days); each day of it is dropped with probability 0.15.
    """
    flexible = rng.random(n) < 0.30
    template = rng.integers(0, len(_TEMPLATES) + 1, n)
    hour = np.arange(7 * 24)
    day_of_bit, hour_of_bit = hour // 24, hour % 24
    personal_days = np.argsort(rng.random((n, 7)), axis=1)[:, :3]
    on_day = np.zeros((n, 7), dtype=bool)
    np.put_along_axis(on_day, personal_days, True, axis=1)
    start = rng.integers(7, 17, n)[:, None]
    end = start + rng.integers(3, 9, n)[:, None]
    personal = on_day[:, day_of_bit] & (hour_of_bit >= start) & (hour_of_bit < end)
    fixed = _template_bits()[np.minimum(template, len(_TEMPLATES) - 1)]
    bits = np.where((template < len(_TEMPLATES))[:, None], fixed, personal)
    kept_day = rng.random((n, 7)) >= 0.15
    bits &= kept_day[:, day_of_bit]
    bits[flexible] = False
    powers = np.uint64(1) << np.arange(WORD_BITS, dtype=np.uint64)
    words = np.zeros((n, 3), dtype=np.uint64)
    for w in range(3):
        chunk = bits[:, w * WORD_BITS : (w + 1) * WORD_BITS].astype(np.uint64)
        words[:, w] = (chunk * powers).sum(axis=1, dtype=np.uint64)
    return words, flexible


def weekly_hex(words: np.ndarray, flexible: bool) -> str:
    """The match index's 42-hex-digit weekly_hours (empty when flexible)."""
    if flexible:
        return ""
    return f"{int(words[2]):014x}{int(words[1]):014x}{int(words[0]):014x}"


def _helper_block(places: Places, block: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([seed, block])
    n = BLOCK
    helper_id = np.arange(block * BLOCK + 1, (block + 1) * BLOCK + 1, dtype=np.int64)
    lat, lon = places.sample(rng, n)
    radius = np.clip(np.rint(rng.lognormal(math.log(10.0), 0.5, n)), 3, 50).astype(np.int16)
    response = np.where(
        rng.random(n) < 0.2, np.nan, np.clip(rng.lognormal(math.log(40.0), 1.0, n), 1, 2880)
    )
    busy = rng.random(n) < 0.03
    open_inv = np.where(busy, rng.integers(5, 9, n), rng.poisson(0.6, n).clip(0, 4))
    words, flexible = _weekly_words(rng, n)
    n_skills = rng.choice([1, 2, 3, 4], size=n, p=[0.45, 0.30, 0.15, 0.10])
    # k distinct skills per helper by popularity: the Gumbel top-k trick.
    keys = np.log(skill_popularity()) + rng.gumbel(size=(n, SKILLS))
    ranked = np.argsort(-keys, axis=1)
    owner = np.repeat(np.arange(n), n_skills)
    skill = ranked[np.arange(SKILLS) < n_skills[:, None]].astype(np.int8)
    rows = len(owner)
    reviews = np.where(rng.random(rows) < 0.35, 0, rng.negative_binomial(1, 0.08, rows))
    jobs = reviews + rng.poisson(0.3 * reviews + 0.2)
    quality = np.clip(rng.normal(4.5, 0.35, rows), 1.0, 5.0)
    rating_mean = (4.2 * 5.0 + quality * reviews) / (5.0 + reviews)
    kept = np.bincount(owner, weights=jobs, minlength=n)
    broken = rng.binomial(np.maximum(1, kept.astype(np.int64) // 8), 0.3)
    reliability = (kept + 3.0) / (kept + broken + 3.0)
    fine = np.array([h3i.latlng_to_cell(a, b, FINE_RES) for a, b in zip(lat, lon, strict=True)])
    coarse = np.array([h3i.latlng_to_cell(a, b, COARSE_RES) for a, b in zip(lat, lon, strict=True)])
    return {
        "helper_id": helper_id[owner],
        "skill": skill,
        "latitude": lat[owner],
        "longitude": lon[owner],
        "cell_fine": fine[owner].astype(np.int64),
        "cell_coarse": coarse[owner].astype(np.int64),
        "radius_km": radius[owner],
        "rating_mean": rating_mean,
        "review_count": reviews.astype(np.int32),
        "completed_jobs": jobs.astype(np.int32),
        "reliability": reliability[owner],
        "response_minutes": response[owner],
        "words": words[owner],
        "flexible": flexible[owner],
        "open_invitations": open_inv[owner].astype(np.int16),
    }


def data_file(places: Places, n_helpers: int, seed: int, cache: Path) -> Path:
    """An .npz of the match-index rows (one per helper and skill) of at least helpers
    1..n_helpers: an existing one for a larger size is reused, else one is generated."""
    needed = -(-n_helpers // BLOCK) * BLOCK
    for path in sorted(cache.glob(f"helpers-v{DATA_VERSION}-s{seed}-*.npz")):
        if int(path.stem.rsplit("-", 1)[1]) >= needed:
            return path
    parts = [_helper_block(places, b, seed) for b in range(needed // BLOCK)]
    data = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"helpers-v{DATA_VERSION}-s{seed}-{needed}.npz"
    np.savez(path, **data)  # type: ignore[arg-type]
    return path


def load(path: Path | str, n_helpers: int) -> dict[str, np.ndarray]:
    """The rows of helpers 1..n_helpers from a data file."""
    with np.load(path) as stored:
        return prefix({key: stored[key] for key in stored.files}, n_helpers)


def prefix(data: dict[str, np.ndarray], n_helpers: int) -> dict[str, np.ndarray]:
    """The rows of helpers 1..n_helpers (rows are sorted by helper id)."""
    end = int(np.searchsorted(data["helper_id"], n_helpers, side="right"))
    return {key: value[:end] for key, value in data.items()}


def first_hour(now: datetime | None = None) -> datetime:
    """Requests' windows and bookings start from the next whole UTC hour, one day ahead."""
    now = now or datetime.now(UTC)
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)


def requests(places: Places, n: int, seed: int, t0: datetime) -> list[dict[str, object]]:
    """n population-weighted requests, random skill (same skew), a 2-12 h window in 2 weeks."""
    rng = np.random.default_rng([seed, 10**6])
    lat, lon = places.sample(rng, n)
    skill = rng.choice(SKILLS, size=n, p=skill_popularity())
    start = rng.integers(0, 14 * 24, n)
    length = rng.integers(2, 13, n)
    return [
        {
            "latitude": float(lat[i]),
            "longitude": float(lon[i]),
            "skill": int(skill[i]),
            "window_start": (t0 + timedelta(hours=int(start[i]))).isoformat(),
            "window_end": (t0 + timedelta(hours=int(start[i] + length[i]))).isoformat(),
            "seed": i + 1,
        }
        for i in range(n)
    ]


def busy_times(n_helpers: int, seed: int, t0: datetime) -> dict[str, list[list[object]]]:
    """A few thousand absences and bookings (a quarter of them cancelled) in the 2 weeks.

    Bookings go to distinct helpers, so live bookings never overlap (PostgreSQL's exclusion
    constraint holds). Times are ISO strings; cancelled bookings carry a cancellation time.
    """
    rng = np.random.default_rng([seed, n_helpers, 2])
    absences = []
    for helper in rng.integers(1, n_helpers + 1, 3000):
        start = t0 + timedelta(hours=int(rng.integers(0, 15 * 24)))
        end = start + timedelta(hours=int(rng.integers(4, 72)))
        absences.append([int(helper), start.isoformat(), end.isoformat()])
    bookings = []
    for helper in rng.choice(n_helpers, size=min(2000, n_helpers), replace=False) + 1:
        start = t0 + timedelta(hours=int(rng.integers(0, 15 * 24)))
        end = start + timedelta(hours=int(rng.integers(1, 5)))
        cancelled = t0.isoformat() if rng.random() < 0.25 else None
        bookings.append([int(helper), start.isoformat(), end.isoformat(), cancelled])
    return {"absences": absences, "bookings": bookings}
