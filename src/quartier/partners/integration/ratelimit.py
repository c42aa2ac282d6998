"""Per-key rate limit of the partner API: a fixed one-minute window counted in a cache that
every process sees.

The counter lives in the `shared` cache (settings): Redis when REDIS_URL is set, where
`add` + `incr` are atomic server-side; otherwise the database cache, whose increment is a
read-then-write, so it runs inside a transaction that serialises writers (SQLite's
IMMEDIATE transactions; on PostgreSQL an advisory lock on the counter). A per-process cache
(locmem) would let N processes each allow the full limit, hence not that. If the cache is
unreachable the call is let through (logged): the limit protects us, it must not take the
API down.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpResponse

from quartier.problems import problem

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60
CACHE_ALIAS = "shared"


@dataclass(frozen=True)
class RateLimit:
    limit: int
    used: int
    reset_seconds: int

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def apply_headers(self, response: HttpResponse) -> None:
        """RateLimit-* headers (IETF httpapi-ratelimit-headers, draft 03 field names)."""
        response["RateLimit-Limit"] = str(self.limit)
        response["RateLimit-Remaining"] = str(self.remaining)
        response["RateLimit-Reset"] = str(self.reset_seconds)


def _increment(key: str, timeout: int) -> int:
    cache = caches[CACHE_ALIAS]
    if not isinstance(cache, DatabaseCache):  # Redis (atomic) or locmem (one process, locked)
        if cache.add(key, 1, timeout):
            return 1
        return int(cache.incr(key))
    using = router.db_for_write(cache.cache_model_class)
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            lock = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        count = int(cache.get(key, 0)) + 1
        cache.set(key, count, timeout)
        return count


def rate_limit_hit(key_digest: str, *, now: float | None = None) -> RateLimit:
    """Count one call of the API key (named by its stored digest: unique, unlike a primary
    key a rolled-back test or a restored database may hand out again) this minute."""
    limit: int = settings.QUARTIER_PARTNER_RATE_LIMIT
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    reset = max(math.ceil(window + WINDOW_SECONDS - now), 1)
    try:
        used = _increment(f"partner-rate:{key_digest[:32]}:{window}", WINDOW_SECONDS + 5)
    except Exception:  # the cache is away: let the call through rather than fail it
        logger.exception("partner rate limit: cache unavailable")
        used = 0
    return RateLimit(limit=limit, used=used, reset_seconds=reset)


def rate_limited_response(state: RateLimit) -> HttpResponse:
    response = problem(
        429,
        f"More than {state.limit} calls a minute with this key; retry in {state.reset_seconds} s.",
        code="rate_limited",
    )
    response["Retry-After"] = str(state.reset_seconds)
    return response
