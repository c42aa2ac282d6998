"""Where the HTTP bench's databases live (see bench/http.py), and its Redis.

SQLite (the default): the database is a file in each var directory, so copying the directory
copies it. PostgreSQL (`--database-url postgres://…/NAME`): one database per prepared data set
(NAME_p_<demo helpers>_<synthetic>_<fingerprint>) and one per run (NAME_run_<size>), copied
from the prepared one with CREATE DATABASE … TEMPLATE, which is as fast as copying a file.
Redis (`--redis-url redis://…/N`): the cache, the rate limits and the sessions go there, as
in production; the database N is emptied before each data set's server starts.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit


class Store:
    def __init__(self, database_url: str | None, redis_url: str | None) -> None:
        self.url = database_url
        self.redis_url = redis_url
        if database_url and not database_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url: a postgres://… URL (SQLite is the default)")
        self.base = urlsplit(database_url).path.lstrip("/") if database_url else ""

    @property
    def label(self) -> str:
        database = "PostgreSQL" if self.url else "SQLite (WAL), the embedded default"
        return database + (", Redis (cache, rate limits, sessions)" if self.redis_url else "")

    def name(self, key: str) -> str:
        """The PostgreSQL database for a prepared set or a run (`key`: prepared-40-0-abc…)."""
        short = re.sub(r"[^a-z0-9]+", "_", key.lower().replace("prepared", "p"))
        return f"{self.base}_{short}"[:63]

    @property
    def suffix(self) -> str:
        """Of the prepared directories: their bench.json names rows of their own database."""
        return "-pg" if self.url else ""

    def env(self, key: str, *, redis: bool = True) -> dict[str, str]:
        """DATABASE_URL (PostgreSQL only) and REDIS_URL for a process working on `key`."""
        found = {"REDIS_URL": self.redis_url} if self.redis_url and redis else {}
        if self.url:
            parts = urlsplit(self.url)
            found["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + self.name(key)))
        return found

    def _admin(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        import psycopg

        assert self.url is not None
        admin = urlunsplit(urlsplit(self.url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            cursor = connection.execute(sql, params)  # type: ignore[call-overload]
            return list(cursor.fetchall()) if cursor.description else []

    def exists(self, key: str) -> bool:
        """True for SQLite (the file travels with its directory)."""
        if not self.url:
            return True
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", self.name(key)))

    def drop(self, key: str) -> None:
        if self.url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name(key)}" WITH (FORCE)')

    def create(self, key: str, copy_of: str | None = None) -> None:
        """An empty database for `key`, or a copy of `copy_of`'s (PostgreSQL only)."""
        if not self.url:
            return
        self.drop(key)
        template = f' TEMPLATE "{self.name(copy_of)}"' if copy_of else ""
        self._admin(f'CREATE DATABASE "{self.name(key)}"{template}')

    def flush_redis(self) -> None:
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
