"""Throttling of log-ins and password-reset requests, per account and per client address.

Counters live in the `shared` cache (settings): every app process sees the same counts,
whether that is Redis (REDIS_URL) or the database cache table. A per-process cache would
let each process allow the full number of guesses.

Log-in: failures are counted per account (the e-mail as typed, normalised) and per client
address in windows of `QUARTIER_LOGIN_WINDOW_SECONDS`. When an account reaches
`QUARTIER_LOGIN_MAX_FAILURES_ACCOUNT` failures (or an address
`QUARTIER_LOGIN_MAX_FAILURES_ADDRESS`), it is locked for one full window from that moment:
every attempt is refused, the right password included. A successful log-in clears the
account's failures (not the address's: an attacker's own account must not clear them).

Reset requests are counted whether or not the address has an account (otherwise the
answer would tell), per e-mail and per client address.

IPv6 clients are counted per /64: one subscriber usually holds a whole /64.

If the cache is unreachable, attempts are let through (logged): the throttle protects
accounts, it must not take log-in down.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest

logger = logging.getLogger(__name__)
CACHE_ALIAS = "shared"


def client_address(request: HttpRequest | None) -> str:
    """The address a request came from, IPv6 reduced to its /64 ('' when unknown)."""
    raw = (request.META.get("REMOTE_ADDR") or "") if request is not None else ""
    try:
        ip = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return raw[:64]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip)


def _name(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{kind}:{digest}"


def _increment(key: str, timeout: int) -> int:
    """Add one to `key` (created with `timeout`), atomically across processes."""
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


class _Counter:
    """Hits of one kind (e.g. log-in failures per account) in fixed windows, with a lock of
    one full window once `limit` hits are reached."""

    def __init__(self, kind: str, limit_setting: str, window_setting: str) -> None:
        self.kind = kind
        self.limit_setting = limit_setting
        self.window_setting = window_setting

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting))

    @property
    def window(self) -> int:
        return int(getattr(settings, self.window_setting))

    def _count_key(self, value: str, now: float) -> str:
        return f"{_name(self.kind, value)}:{int(now // self.window)}"

    def _lock_key(self, value: str) -> str:
        return f"{_name(self.kind, value)}:locked"

    def wait(self, value: str, now: float) -> int:
        """Seconds until `value` may try again; 0 when it may now."""
        if not value:
            return 0
        until = caches[CACHE_ALIAS].get(self._lock_key(value))
        return max(math.ceil(float(until) - now), 1) if until and until > now else 0

    def hit(self, value: str, now: float) -> None:
        if not value:
            return
        if _increment(self._count_key(value, now), self.window + 5) >= self.limit:
            caches[CACHE_ALIAS].set(self._lock_key(value), now + self.window, self.window)

    def clear(self, value: str, now: float) -> None:
        if value:
            caches[CACHE_ALIAS].delete(self._count_key(value, now))


LOGIN_ACCOUNT = _Counter(
    "login-account", "QUARTIER_LOGIN_MAX_FAILURES_ACCOUNT", "QUARTIER_LOGIN_WINDOW_SECONDS"
)
LOGIN_ADDRESS = _Counter(
    "login-address", "QUARTIER_LOGIN_MAX_FAILURES_ADDRESS", "QUARTIER_LOGIN_WINDOW_SECONDS"
)
RESET_EMAIL = _Counter("reset-email", "QUARTIER_RESET_MAX_EMAIL", "QUARTIER_RESET_WINDOW_SECONDS")
RESET_ADDRESS = _Counter(
    "reset-address", "QUARTIER_RESET_MAX_ADDRESS", "QUARTIER_RESET_WINDOW_SECONDS"
)


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def login_wait(*, email: str, address: str, now: float | None = None) -> int:
    """Seconds before this account or address may try to log in again (0: now)."""
    moment = _now(now)
    try:
        return max(LOGIN_ACCOUNT.wait(email, moment), LOGIN_ADDRESS.wait(address, moment))
    except Exception:  # the cache is away: let the attempt through rather than refuse log-in
        logger.exception("log-in throttle: cache unavailable")
        return 0


def login_failed(*, email: str, address: str, now: float | None = None) -> None:
    moment = _now(now)
    try:
        LOGIN_ACCOUNT.hit(email, moment)
        LOGIN_ADDRESS.hit(address, moment)
    except Exception:
        logger.exception("log-in throttle: cache unavailable")


def login_succeeded(*, email: str, now: float | None = None) -> None:
    try:
        LOGIN_ACCOUNT.clear(email, _now(now))
    except Exception:
        logger.exception("log-in throttle: cache unavailable")


def reset_request_wait(*, email: str, address: str, now: float | None = None) -> int:
    """Count one password-reset request; seconds to wait when it is one too many (0: go)."""
    moment = _now(now)
    try:
        wait = max(RESET_EMAIL.wait(email, moment), RESET_ADDRESS.wait(address, moment))
        if wait:
            return wait
        RESET_EMAIL.hit(email, moment)
        RESET_ADDRESS.hit(address, moment)
    except Exception:
        logger.exception("reset throttle: cache unavailable")
    return 0
