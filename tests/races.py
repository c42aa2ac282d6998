"""Real concurrency in tests: threads on their own connections, on a database that commits.

The SQLite test database is in memory with a shared cache, where a second writer fails at
once instead of waiting for the lock; the app runs on a WAL file whose IMMEDIATE
transactions queue writers. So tests that race (see the `committing_db` fixture in
tests/conftest.py) run on a copied, migrated SQLite file like the app's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from django.db import connection

from quartier.catalog.models import Skill
from quartier.catalog.services import catalog_seed
from quartier.geo.models import Postcode
from quartier.geo.services import postcodes_import
from tests.dbtemplate import database_named

RACE_TIMEOUT = 30  # seconds; a thread still waiting after that is a deadlock


def database_file(path: Path) -> AbstractContextManager[None]:
    """Point the default database at a SQLite file for a while, then back.

    The SQLite test database is in memory with a shared cache, where a second writer fails
    at once with "database table is locked" instead of waiting for the lock. The app runs on
    a WAL file database whose IMMEDIATE transactions queue writers (busy timeout), so the
    races run on a file like that (the in-memory database stays open meanwhile).
    """
    return database_named(str(path))


def reference_data_load() -> None:
    """The postcode table and the skill catalogue, loaded only when missing."""
    if not Postcode.objects.exists():
        postcodes_import()
    if not Skill.objects.exists():
        catalog_seed()


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once in threads; return each one's result or raised exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=RACE_TIMEOUT)
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()  # each thread has its own connection; do not leak it

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a racing thread hung (deadlock?)"
    return outcomes
