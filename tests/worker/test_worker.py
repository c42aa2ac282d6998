"""`quartier worker`: one top-level worker runs every tick the contexts registered
(quartier.ticks), each guarded, besides the tasks of the configured backend."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quartier import ticks
from quartier.dispatch.models import Invitation
from quartier.partners.models import IdempotencyKey
from quartier.ticks import register_tick, registered_ticks, unregister_tick
from quartier.worker.runner import tick_forever, tick_once
from tests.dispatch.conftest import make_crowd, start_dispatch
from tests.factories import make_customer, make_request
from tests.partners.factories import make_partner


@pytest.fixture
def extra_ticks(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Register ticks for one test; the registry is as before afterwards."""
    monkeypatch.setattr(ticks, "_ticks", dict(ticks._ticks))
    return register_tick


def test_every_context_registers_its_tick_in_the_order_of_the_apps():
    names = [tick.name for tick in registered_ticks()]
    assert names == [
        "events",
        "vetting",
        "sign_off",
        "before_visit",
        "counters",
        "reviews",
        "dispatch",
        "partners",
        "settlement",
        "commission_pause",
        "invoicing",
        "payment_reminders",
        "dac7",
        "thresholds",
        "privacy",
        "retention",
        "series",
    ]


def test_a_failing_tick_does_not_stop_the_others(extra_ticks, caplog):
    ran: list[str] = []

    def broken() -> object:
        ran.append("broken")
        raise RuntimeError("the database is away")

    extra_ticks("broken", broken)
    extra_ticks("after", lambda: ran.append("after") or "done")
    mine = [tick for tick in registered_ticks() if tick.name in ("broken", "after")]

    reports = tick_once(mine)

    assert ran == ["broken", "after"]
    assert reports == {"broken": None, "after": "done"}
    assert "broken tick failed" in caplog.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "keep_signal_handlers")
def test_one_batch_run_runs_the_dispatch_and_the_partners_ticks_even_after_a_failure(
    extra_ticks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_crowd(3)
    dispatch = start_dispatch(make_request(make_customer(email="anna@example.com")))
    DBTaskResult.objects.all().delete()  # the queue lost the first wave: only a tick sends it
    partner = make_partner()
    IdempotencyKey.objects.create(partner=partner, key="old", method="POST", path="/cases")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(days=2))

    def broken() -> object:
        raise RuntimeError("boom")

    extra_ticks("broken", broken)  # registered last: runs after both, fails alone
    output = StringIO()
    call_command("worker", "--batch", stdout=output, stderr=StringIO())

    assert Invitation.objects.filter(dispatch=dispatch).count() == 3  # dispatch tick
    assert not IdempotencyKey.objects.exists()  # partners tick (expired keys purged)
    lines = output.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "events tick",
        "vetting tick",
        "sign_off tick",
        "before_visit tick",
        "counters tick",
        "reviews tick",
        "dispatch tick",
        "partners tick",
        "settlement tick",
        "commission_pause tick",
        "invoicing tick",
        "payment_reminders tick",
        "dac7 tick",
        "thresholds tick",
        "privacy tick",
        "retention tick",
        "series tick",
        "broken tick",
    ]
    assert lines[-1] == "broken tick: None"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "keep_signal_handlers")
def test_no_tick_runs_tasks_only(extra_ticks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ran: list[str] = []
    extra_ticks("spy", lambda: ran.append("spy"))

    output = StringIO()
    call_command("worker", "--batch", "--no-tick", stdout=output, stderr=StringIO())

    assert ran == []
    assert "tick" not in output.getvalue()


def test_the_tick_thread_runs_each_tick_at_its_own_interval(extra_ticks):
    runs: dict[str, int] = {"often": 0, "rarely": 0}
    for tick in registered_ticks():
        unregister_tick(tick.name)  # only the two of this test (extra_ticks puts them back)
    extra_ticks("often", lambda: runs.__setitem__("often", runs["often"] + 1), 0.05)
    extra_ticks("rarely", lambda: runs.__setitem__("rarely", runs["rarely"] + 1), 60)
    stop = threading.Event()
    thread = threading.Thread(target=tick_forever, args=(stop, 30.0), daemon=True)

    thread.start()
    try:
        for _ in range(100):
            if runs["often"] >= 3:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert runs["often"] >= 3
    assert runs["rarely"] == 1
