"""Fixtures for dispatch: a crowd of helpers around Zürich, the task backend pinned to the
database queue, and a database that commits for real for races and real workers."""

from __future__ import annotations

import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from quartier.accounts.models import User
from quartier.catalog.models import Skill
from quartier.catalog.services import catalog_seed
from quartier.dispatch.models import Dispatch
from quartier.dispatch.services import dispatch_for_request
from quartier.geo.models import Postcode
from quartier.geo.services import postcodes_import
from quartier.jobs.models import Request
from quartier.matching.engine import rank
from quartier.matching.models import MatchIndex
from quartier.matching.selectors import request_query
from tests.factories import make_customer, make_helper

RACE_TIMEOUT = 30  # seconds; a thread still waiting after that is a deadlock

#: Zürich postcodes, nearest to the request's 8004 first (roughly): the crowd lives here.
ZURICH = [
    "8004",
    "8003",
    "8005",
    "8001",
    "8002",
    "8006",
    "8045",
    "8008",
    "8037",
    "8055",
    "8032",
    "8038",
    "8057",
    "8044",
    "8046",
    "8047",
    "8048",
    "8049",
    "8050",
    "8051",
]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def dispatch_settings(settings: Any) -> Any:
    """The documented defaults, whatever the environment says, and the database task queue
    (REDIS_URL in the environment would otherwise switch the default backend to RQ)."""
    settings.TASKS = DB_TASKS
    settings.QUARTIER_DISPATCH_WAVE_SIZE = 5
    settings.QUARTIER_DISPATCH_MAX_WAVE_SIZE = 50
    settings.QUARTIER_DISPATCH_MAX_QUOTES = 5
    settings.QUARTIER_DISPATCH_WAVE_MINUTES = 30
    settings.QUARTIER_DISPATCH_LEAD_HOURS = 2
    settings.QUARTIER_MAX_OPEN_INVITATIONS = 5
    return settings


def make_crowd(count: int, *, prefix: str = "helper") -> list[User]:
    """`count` TV helpers spread over Zürich, each reaching the whole city."""
    return [
        make_helper(
            email=f"{prefix}{i}@example.com",
            postcode=ZURICH[i % len(ZURICH)],
            skills=["tv-set-top-box"],
            radius_km=20,
        )
        for i in range(count)
    ]


@pytest.fixture
def crowd_of() -> Callable[..., list[User]]:
    return make_crowd


@pytest.fixture
def anna(db: None) -> User:
    return make_customer(email="anna@example.com", full_name="Anna Muster")


def start_dispatch(request: Request, **options: Any) -> Dispatch:
    """`dispatch_for_request` with these options. Posting a request may already have started
    a default (quotes) dispatch that sent nothing yet: it is replaced, so a test gets the mode
    it asks for and sees the tasks being enqueued."""
    Dispatch.objects.filter(request=request, wave=0).delete()
    return dispatch_for_request(request_id=request.pk, **options)


def ranked(request: Request, *, limit: int, exclude: set[int] | None = None) -> list[int]:
    """What the matcher ranks for the request right now: helper ids, best first."""
    return [c.helper_id for c in rank(request_query(request, limit=limit, exclude=exclude))]


def open_counts(helper_ids: list[int] | None = None) -> dict[int, int]:
    """Each helper's open-invitations counter (all their skill rows agree here)."""
    rows = MatchIndex.objects.all()
    if helper_ids is not None:
        rows = rows.filter(helper_id__in=helper_ids)
    return dict(rows.values_list("helper_id", "open_invitations"))


# --- a database that commits for real (races, real workers) ---------------------------------


@contextmanager
def database_file(path: Path) -> Iterator[None]:
    """Point the default database at a SQLite file for a while, then back (see
    tests/bookings/test_concurrency.py: the in-memory test database cannot queue writers)."""
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]
    assert settings_dict is connection.settings_dict
    name, raw = settings_dict["NAME"], connection.connection
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = raw


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any) -> Path:
    path = tmp_path_factory.mktemp("dispatch") / "template.sqlite3"
    with django_db_blocker.unblock(), database_file(path):
        call_command("migrate", verbosity=0)
        postcodes_import()
    return path


@pytest.fixture
def committing_db(
    transactional_db: None, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[None]:
    """Commits are real. PostgreSQL: the flush after each transactional test empties the
    postcode table and the seeded catalogue, so they are loaded again when missing. SQLite: a
    fresh copy of a migrated file database."""
    if connection.vendor == "sqlite":
        path = tmp_path / "dispatch.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        with database_file(path):
            yield
        return
    if not Postcode.objects.exists():
        postcodes_import()
    if not Skill.objects.exists():
        catalog_seed()
    yield


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once in threads; return each one's result or raised exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=RACE_TIMEOUT)
            outcomes[index] = call()
        except Exception as error:  # the test inspects it
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


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """The database worker installs SIGINT/SIGTERM handlers; put the old ones back."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)
