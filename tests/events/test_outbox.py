"""Stored domain events: written with the change, handled after commit, once per handler."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db import connections, transaction

from quartier.events import handles, outbox, record_event
from quartier.events.models import DomainEvent, HandledEvent


@pytest.fixture
def echo() -> Iterator[list[int]]:
    """A handler whose effect is a row (an `echo` event), so it commits or rolls back with
    its mark. Yields the ids of the events it has seen, in order."""
    seen: list[int] = []

    @handles("test.ping", name="tests.echo")
    def handler(event: DomainEvent) -> None:
        seen.append(event.pk)
        if event.payload.get("fail"):
            raise RuntimeError("the handler broke")
        record_event("test.echo", of=event.pk)

    yield seen
    outbox._registry.pop("tests.echo")


def echoes() -> list[int]:
    return [e.payload["of"] for e in DomainEvent.objects.filter(kind="test.echo")]


@pytest.mark.django_db
def test_each_event_is_handled_once_however_often_delivery_runs(echo):
    first = record_event("test.ping", n=1)
    second = record_event("test.ping", n=2)

    assert outbox.events_deliver() == 2
    assert outbox.events_deliver() == 0

    assert echoes() == [first.pk, second.pk]
    assert HandledEvent.objects.filter(handler="tests.echo").count() == 2


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_event_and_no_effect(echo):
    def failing_service() -> None:
        with transaction.atomic():
            record_event("test.ping", n=1)
            raise ValueError("the service failed after writing")

    with pytest.raises(ValueError, match="failed after writing"):
        failing_service()

    assert outbox.events_deliver() == 0
    assert not DomainEvent.objects.exists()
    assert echo == []


@pytest.mark.django_db
def test_a_failing_handler_is_retried_and_later_events_wait_for_it(echo):
    broken = record_event("test.ping", fail=True)
    later = record_event("test.ping")

    assert outbox.events_deliver() == 0
    assert echo == [broken.pk]  # the later event was not handed over out of order
    assert echoes() == []
    DomainEvent.objects.filter(pk=broken.pk).update(payload={})  # the cause is fixed

    assert outbox.events_deliver() == 2
    assert echoes() == [broken.pk, later.pk]


@pytest.mark.django_db
def test_payload_values_are_stored_as_json(echo):
    from django.utils import timezone

    moment = timezone.now()
    event = record_event("test.ping", at=moment)

    event.refresh_from_db()
    assert datetime.fromisoformat(event.payload["at"]) == moment  # to the microsecond


def _deliver_in_thread(errors: list[BaseException]) -> None:
    try:
        outbox.events_deliver()
    except BaseException as error:  # pragma: no cover - reported by the test
        errors.append(error)
    finally:
        connections.close_all()


def test_a_worker_killed_after_commit_loses_nothing_and_racing_workers_run_each_once(
    committing_db: Any, echo, django_capture_on_commit_callbacks
):
    # The change commits, but the worker that should have delivered it never runs (killed):
    # the on-commit wake-up is dropped.
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        events = [record_event("test.ping", n=n) for n in range(20)]

    # Later, four workers deliver at once.
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_deliver_in_thread, args=(errors,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(echoes()) == [e.pk for e in events]  # every event, none twice
    assert HandledEvent.objects.filter(handler="tests.echo").count() == 20
