"""Shared fixtures: the postcode table, people and an API client that speaks JSON."""

from __future__ import annotations

import json
import shutil
import signal
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone, translation
from pytest_django.plugin import blocking_manager_key

from quartier.accounts.models import User
from quartier.accounts.services import api_token_create
from tests import dbtemplate, hashers
from tests.factories import make_customer, make_helper
from tests.races import database_file, reference_data_load

PASSWORD = "correct horse battery staple"


def _run_dir(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory this run's processes share (xdist workers each have a subdirectory)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def db_template(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> str:
    """The run's migrated database with the postcode table, made once for all processes
    (tests/dbtemplate.py): a SQLite file or a PostgreSQL database's name."""
    with django_db_blocker.unblock():
        return dbtemplate.template_ready(_run_dir(request.config, tmp_path_factory))


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    db_template: str,
) -> Iterator[None]:
    """The test database as a copy of the run's template (the postcodes are in it, as after
    `make run`); Django's setup then finds every migration applied. Replaces pytest-django's
    fixture of the name, which migrated a database in each process."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        dbtemplate.process_database_make(db_template)
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            keepdb=True,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=verbosity)
        dbtemplate.process_database_release()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run's PostgreSQL template goes when the run ends (in xdist's controller, once
    every worker is done; its name is known there from the settings)."""
    if hasattr(session.config, "workerinput") or connection.vendor == "sqlite":
        return
    blocker = session.config.stash[blocking_manager_key]
    with blocker.unblock():
        dbtemplate.template_drop()


# Modules whose tests go to one xdist worker together, so their module-scoped fixtures are
# made once: the demo is seeded once per module. Every other test is scheduled on its own, in
# pytest-django's order (tests that commit for real, and flush the database, come last).
# (xdist's own xdist_group marks are ignored under pytest 9.2: pytest-xdist issue 1386.)
ONE_WORKER = {"tests/demo/test_demo.py", "tests/demo/test_demo_partners.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` with the groups of ONE_WORKER, by module path."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER else nodeid

    return ModuleGroups(config, log)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its least cost while testing (tests/hashers.py): same format, 0.05 ms."""
    with override_settings(PASSWORD_HASHERS=hashers.PASSWORD_HASHERS):
        yield


class Api:
    """A JSON client for /api/v1/, authenticated with a bearer token when given a user.

    It asks for English answers as most API clients name their language; `language=None`
    sends no Accept-Language, and the member's own language applies."""

    def __init__(self, user: User | None = None, language: str | None = "en") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if language is not None:
            self.headers["Accept-Language"] = language
        if user is not None:
            self.headers["Authorization"] = f"Bearer {api_token_create(user=user)}"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = (
                body if isinstance(body, str | bytes) else json.dumps(body, default=str)
            )
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(f"/api/v1{path}", **kwargs)
        response.data = response.json() if response.content else None
        return response

    def get(self, path: str) -> Any:
        return self._call("get", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body if body is not None else {})

    def put(self, path: str, body: Any) -> Any:
        return self._call("put", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._call("patch", path, body)

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a German page requested by an earlier test
    leaves German active in the worker's thread, and code outside a request would speak it."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def api_as() -> Callable[..., Api]:
    return Api


@pytest.fixture
def anon() -> Api:
    return Api()


@pytest.fixture
def customer(db: None) -> User:
    return make_customer(
        email="anna@example.com", full_name="Anna Muster", phone="+41 79 111 22 33"
    )


@pytest.fixture
def helper(db: None) -> User:
    """A TV/Internet helper in Zürich Wiedikon (8003) with a 10 km radius."""
    return make_helper(
        email="hans@example.com",
        postcode="8003",
        skills=["tv-set-top-box", "internet-wlan"],
        radius_km=10,
    )


def in_days(days: float, hour: int = 9) -> datetime:
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture(scope="session")
def sqlite_template(django_db_setup: None, db_template: str) -> Path:
    """The run's migrated SQLite file with the postcode table (the catalogue comes by
    migration), made once per run (tests/dbtemplate.py); each test gets a copy."""
    assert connection.vendor == "sqlite"
    return Path(db_template)


@pytest.fixture
def committing_db(
    transactional_db: None, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[None]:
    """A database that commits for real, with the postcodes and the skill catalogue loaded.

    PostgreSQL: the flush after each transactional test deletes the imported postcode table
    and the seeded catalogue, so they are loaded again when missing. SQLite: a fresh copy of
    a migrated file database (see `database_file`).
    """
    if connection.vendor == "sqlite":
        path = tmp_path / "races.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        with database_file(path):
            yield
        return
    reference_data_load()
    yield


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """The database worker installs SIGINT/SIGTERM handlers; put the old ones back."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)
