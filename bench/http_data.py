"""The HTTP bench's database: the demo, plus synthetic helpers, plus the bench's log-ins.

Run in its own process, with QUARTIER_VAR_DIR and SECRET_KEY as the server will have them:
`python -m bench.http_data demo VAR_DIR DEMO_HELPERS` migrates, imports the postcodes, seeds
the demo (`demo_seed`), collects the static files and writes VAR_DIR/bench.json (session
cookies, API token, partner key, the request ids to read), which the load client reads;
`python -m bench.http_data synthetic VAR_DIR N` adds N synthetic helpers to a copy of it.

Synthetic helpers are those of the matching bench (bench/matching_data.py: population-weighted
homes, skewed skills, weekly hours), written as real members: a user, a helper profile, one
HelperSkill and one match-index row per skill. Their ids follow the demo's, so the demo's
people, requests and bookings are unchanged.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench import matching_data

DATA_SEED = 7
#: Customers whose open requests the read scenarios visit (and who post new ones).
BENCH_REQUESTS = 12


def _synthetic_helpers(count: int, cache: Path) -> int:
    """Adds `count` helpers; returns how many match-index rows they got."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from quartier.accounts.models import HelperProfile, User
    from quartier.catalog.models import HelperSkill, Skill
    from quartier.matching.models import MatchIndex
    from quartier.matching.ranking import index_quality, ranking_params

    if count <= 0:
        return 0
    places = matching_data.load_places()
    data = matching_data.load(matching_data.data_file(places, count, DATA_SEED, cache), count)
    slugs = dict(Skill.objects.values_list("slug", "id"))
    skill_ids = [slugs[slug] for slug in matching_data.SKILL_SLUGS]
    offset = int(User.objects.aggregate(top=Max("id"))["top"] or 0)
    now = timezone.now()
    params = ranking_params()
    first = np.unique(data["helper_id"], return_index=True)[1]
    homes = {
        int(data["helper_id"][i]): (float(data["latitude"][i]), float(data["longitude"][i]), i)
        for i in first
    }
    with transaction.atomic():
        User.objects.bulk_create(
            (
                User(
                    id=offset + h,
                    email=f"synthetic{h}@bench.example",
                    full_name=f"Helper {h}",
                    password="!",
                    is_helper=True,
                    preferred_language="de",
                    email_verified_at=now,
                )
                for h in homes
            ),
            batch_size=2000,
        )
        HelperProfile.objects.bulk_create(
            (
                HelperProfile(
                    user_id=offset + h,
                    country="CH" if lon < 10.5 and lat < 47.8 else "DE",
                    postcode="0000",
                    locality="Bench",
                    latitude=lat,
                    longitude=lon,
                    h3_cell=int(data["cell_fine"][i]),
                    service_radius_km=int(data["radius_km"][i]),
                    hourly_rate_minor=3000 + 500 * (h % 7),
                    currency="CHF" if lon < 10.5 and lat < 47.8 else "EUR",
                    contractor_terms_accepted_at=now,
                )
                for h, (lat, lon, i) in homes.items()
            ),
            batch_size=2000,
        )
        helpers = data["helper_id"].tolist()
        skills = [skill_ids[s] for s in data["skill"].tolist()]
        HelperSkill.objects.bulk_create(
            (
                HelperSkill(helper_id=offset + h, skill_id=s, level="experienced")
                for h, s in zip(helpers, skills, strict=True)
            ),
            batch_size=2000,
        )
        rows = (
            MatchIndex(
                helper_id=offset + helpers[i],
                skill_id=skills[i],
                latitude=float(data["latitude"][i]),
                longitude=float(data["longitude"][i]),
                cell_fine=int(data["cell_fine"][i]),
                cell_coarse=int(data["cell_coarse"][i]),
                radius_km=int(data["radius_km"][i]),
                rating_mean=float(data["rating_mean"][i]),
                review_count=int(data["review_count"][i]),
                completed_jobs=int(data["completed_jobs"][i]),
                reliability=float(data["reliability"][i]),
                response_minutes=_or_none(float(data["response_minutes"][i])),
                weekly_hours=matching_data.weekly_hex(data["words"][i], bool(data["flexible"][i])),
                open_invitations=int(data["open_invitations"][i]),
                quality=index_quality(
                    rating_mean=float(data["rating_mean"][i]),
                    reliability_share=float(data["reliability"][i]),
                    response_minutes=_or_none(float(data["response_minutes"][i])),
                    completed_jobs=int(data["completed_jobs"][i]),
                    params=params,
                ),
                joined_at=now,
            )
            for i in range(len(helpers))
        )
        MatchIndex.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'),"
                           " (SELECT max(id) FROM accounts_user))")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(helpers)


def _or_none(value: float) -> float | None:
    return None if np.isnan(value) else value


def _session_cookie(user: Any) -> str:
    """A signed-in session for `user`, as the log-in page would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _bench_requests(customer: Any) -> list[int]:
    """Open requests of the bench customer in the demo's cities, several skills, posted
    (and so dispatched) like any other."""
    from quartier.demo.seed import CITIES
    from quartier.dispatch.posting import request_post
    from quartier.geo.models import Postcode

    popular = [matching_data.SKILL_SLUGS[i] for i in np.argsort(-matching_data.skill_popularity())]
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    ids = []
    for n in range(BENCH_REQUESTS):
        _, country, prefix, contains, _ = CITIES[n % len(CITIES)]
        place = (
            Postcode.objects.filter(
                country=country, postcode__startswith=prefix, locality__icontains=contains
            )
            .order_by("postcode")
            .first()
        )
        assert place is not None, "postcodes are imported first"
        job = request_post(
            actor=customer,
            skill=popular[n % 8],
            title=f"Bench request {n + 1}",
            description="Posted by the HTTP bench.",
            country=country,
            postcode=place.postcode,
            street_address="Bahnhofstrasse 1",
            window_start=start + timedelta(hours=n),
            window_end=start + timedelta(hours=n + 4),
        )
        ids.append(job.pk)
    return ids


def _logins(var: Path) -> dict[str, Any]:
    from quartier.accounts.models import User
    from quartier.accounts.services import api_token_create
    from quartier.demo.partner_programs import SWISSTEL
    from quartier.demo.seed import DOMAIN
    from quartier.partners.integration.keys import api_key_create_unchecked
    from quartier.partners.models import Partner

    customer = User.objects.get(email=f"customer1@{DOMAIN}")
    helper = User.objects.get(email=f"helper1@{DOMAIN}")
    partner = Partner.objects.get(slug=SWISSTEL.slug)
    _, partner_key = api_key_create_unchecked(partner=partner, name="HTTP bench")
    return {
        "customer_cookie": _session_cookie(customer),
        "customer_token": api_token_create(user=customer),
        "helper_cookie": _session_cookie(helper),
        "partner_key": partner_key,
        "program": SWISSTEL.program_slug,
        "service": SWISSTEL.services[0].code,
        "case_postcodes": list(SWISSTEL.places),
        "request_ids": _bench_requests(customer),
        "skill": matching_data.SKILL_SLUGS[int(np.argmax(matching_data.skill_popularity()))],
    }


def prepare_demo(var: Path, demo_helpers: int) -> dict[str, Any]:
    """A fresh database with the demo and the bench's log-ins."""
    import django

    django.setup()
    from django.core.management import call_command

    from quartier.demo.seed import demo_seed
    from quartier.directory.services import listing_rebuild

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_data", "postcodes", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    demo_seed(helpers=demo_helpers)
    listing_rebuild()
    timings["demo_s"] = round(time.perf_counter() - started, 1)
    found = _logins(var) | {
        "demo_helpers": demo_helpers,
        "synthetic_helpers": 0,
        "synthetic_index_rows": 0,
        "prepare": timings,
    }
    (var / "bench.json").write_text(json.dumps(found, indent=1))
    return found


def prepare_synthetic(var: Path, synthetic: int) -> dict[str, Any]:
    """Adds the synthetic helpers to a copy of the prepared demo."""
    import django

    django.setup()
    found = json.loads((var / "bench.json").read_text())
    started = time.perf_counter()
    found["synthetic_index_rows"] = _synthetic_helpers(synthetic, var.parent / "cache")
    found["synthetic_helpers"] = synthetic
    found["prepare"]["synthetic_s"] = round(time.perf_counter() - started, 1)
    (var / "bench.json").write_text(json.dumps(found, indent=1))
    return found


if __name__ == "__main__":
    if sys.argv[1] == "demo":
        prepare_demo(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        prepare_synthetic(Path(sys.argv[2]), int(sys.argv[3]))
