"""One migrated test database per test run, copied into each test process.

`quartier migrate` on an empty database costs some 20 s of CPU (Django re-renders its model
states; nearly every model points at accounts.User). pytest-django would migrate one test
database per process (each xdist worker), and the race tests migrated a SQLite file of their
own on top. Here the first process that needs a database migrates a *template* once for the
whole run, with the postcode table imported, under a file lock in the run's temporary
directory; every process then gets a copy:

- SQLite: the template is a file (WAL, like the app's); SQLite's backup API copies it into
  the process's in-memory test database, and tests that need a database that commits for
  real (`committing_db`) copy the file.
- PostgreSQL: the template is a database, `test_<NAME>_template`; each process's test
  database is made with `CREATE DATABASE ... TEMPLATE` (a copy of its files, about a
  second). The run's last act drops the template (`template_drop`).

Django's own test-database setup then runs with keepdb: its `migrate` finds nothing to
apply (and would apply what a template lacked).
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from quartier.geo.services import postcodes_import

MARKER = "quartier-db-template"
_keepers: list[sqlite3.Connection] = []  # in-memory SQLite lives while one connection does


@contextmanager
def database_named(name: str) -> Iterator[None]:
    """Point the default database at another database (a SQLite file, a PostgreSQL
    database) for a while, then back. The current connection is kept open meanwhile:
    closing the last connection to a shared in-memory SQLite database would destroy it."""
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]
    assert settings_dict is connection.settings_dict
    old_name, raw = settings_dict["NAME"], connection.connection
    connection.connection = None
    settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = old_name
        connection.connection = raw


def template_name(run_dir: Path) -> str:
    """Where this run's template lives: a file in the run's directory, or a database."""
    if connection.vendor == "sqlite":
        return str(run_dir / "template.sqlite3")
    return _database_template_name()


def _database_template_name() -> str:
    return f"test_{connection.settings_dict['NAME']}_template"  # the name before the tests'


def template_ready(run_dir: Path) -> str:
    """The run's migrated template, made by whichever process asks first (the others wait
    for it on the lock); returns its file path or database name."""
    marker = run_dir / MARKER
    with (run_dir / f"{MARKER}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return marker.read_text()
        name = template_name(run_dir)
        if connection.vendor != "sqlite":
            _execute_nodb(
                f"DROP DATABASE IF EXISTS {_quoted(name)}", f"CREATE DATABASE {_quoted(name)}"
            )
        with database_named(name):
            call_command("migrate", verbosity=0)
            postcodes_import()
        marker.write_text(name)
        return name


def process_database_make(template: str) -> None:
    """This process's test database, as a copy of the template (before Django's setup)."""
    test_name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    if connection.vendor == "sqlite":
        if connection.creation.is_in_memory_db(test_name):  # type: ignore[attr-defined]
            target = sqlite3.connect(test_name, uri=True, check_same_thread=False)
            _keepers.append(target)
        else:
            target = sqlite3.connect(test_name)
        source = sqlite3.connect(template)
        try:
            source.backup(target)
        finally:
            source.close()
        return
    _execute_nodb(
        f"DROP DATABASE IF EXISTS {_quoted(test_name)}",
        f"CREATE DATABASE {_quoted(test_name)} TEMPLATE {_quoted(template)}",
    )


def process_database_release() -> None:
    """Let the in-memory copy go (after Django's teardown)."""
    while _keepers:
        _keepers.pop().close()


def template_drop() -> None:
    """Drop the run's PostgreSQL template at its end (a SQLite one goes with the run's
    temporary directory)."""
    if connection.vendor != "sqlite":
        _execute_nodb(f"DROP DATABASE IF EXISTS {_quoted(_database_template_name())}")


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _execute_nodb(*statements: str) -> None:
    with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        for statement in statements:
            cursor.execute(statement)
