"""Dispatch tasks through real task backends: the database queue with its worker (run by
`quartier worker --batch`), and RQ with a burst worker when REDIS_URL is set."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import django_rq
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job
from rq import SimpleWorker
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry

from quartier.dispatch.models import Dispatch, Invitation
from quartier.dispatch.tasks import dispatch_next_wave
from quartier.worker.runner import tick_forever
from tests.dispatch.conftest import make_crowd, open_counts, start_dispatch
from tests.factories import make_customer, make_request


def worker(*options: str) -> str:
    out = StringIO()
    call_command("worker", "--batch", *options, stdout=out, stderr=out)
    return out.getvalue()


def task_states() -> dict[str, set[str]]:
    states: dict[str, set[str]] = {}
    for path, status in DBTaskResult.objects.values_list("task_path", "status"):
        states.setdefault(path.rsplit(".", 1)[-1], set()).add(status)
    return states


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "keep_signal_handlers")
def test_waves_deadline_and_email_run_through_the_database_worker():
    make_crowd(6)
    request = make_request(make_customer(email="anna@example.com"), days=1)
    dispatch = start_dispatch(request)  # commits: the first wave and the deadline are queued

    worker("--no-tick")  # tasks only: the first wave comes from the queue

    assert Invitation.objects.filter(dispatch=dispatch, wave=1).count() == 5
    assert task_states()["dispatch_start"] == {"SUCCESSFUL"}
    assert task_states()["dispatch_deadline"] == {"READY"}  # deferred to the deadline
    assert task_states()["dispatch_next_wave"] == {"READY"}  # deferred by 30 minutes

    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        worker("--no-tick")  # the deferred task is due now
    assert Invitation.objects.filter(dispatch=dispatch, wave=2).count() == 1
    assert "SUCCESSFUL" in task_states()["dispatch_next_wave"]

    with time_machine.travel(dispatch.deadline_at + timedelta(minutes=1), tick=False):
        output = worker()  # the tick, then every due task (deadline, then the e-mail)
        worker()  # again: nothing more happens
    assert "dispatch tick" in output
    dispatch.refresh_from_db()
    assert dispatch.state == "exhausted"
    to_customer = [m for m in mail.outbox if m.to == ["anna@example.com"]]
    assert len(to_customer) == 1  # "nobody found", once (the invited helpers got theirs)
    assert "notification_email" in task_states()
    assert task_states()["dispatch_notify_customer"] == {"SUCCESSFUL"}
    assert not any("FAILED" in states for states in task_states().values())
    assert set(open_counts().values()) == {0}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "keep_signal_handlers")
def test_the_tick_sends_waves_even_when_the_tasks_were_lost():
    make_crowd(7)
    request = make_request(make_customer(email="anna@example.com"))
    dispatch = start_dispatch(request)
    DBTaskResult.objects.all().delete()  # the queue lost everything

    worker()
    assert Invitation.objects.filter(dispatch=dispatch).count() == 5
    DBTaskResult.objects.all().delete()
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        worker()
    assert Invitation.objects.filter(dispatch=dispatch).count() == 7


# --- RQ ------------------------------------------------------------------------------------


@pytest.fixture
def rq_queue(settings) -> Iterator[django_rq.queues.DjangoRQ]:
    """The RQ backend on REDIS_URL; removes the jobs the test made afterwards."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set (CI has Redis at redis://127.0.0.1:6379/0)")
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    registries = [
        ScheduledJobRegistry(queue=queue),
        FinishedJobRegistry(queue=queue),
        FailedJobRegistry(queue=queue),
    ]

    def job_ids() -> set[str]:
        return set(queue.get_job_ids()).union(*(r.get_job_ids() for r in registries))

    before = job_ids()
    yield queue
    for job_id in job_ids() - before:
        job = queue.fetch_job(job_id)
        if job is not None:
            job.delete()
        for registry in registries:
            registry.remove(job_id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "keep_signal_handlers")
def test_waves_run_through_rq(rq_queue):
    make_crowd(7)
    request = make_request(make_customer(email="anna@example.com"))
    failed = FailedJobRegistry(queue=rq_queue)
    failed_before = set(failed.get_job_ids())

    dispatch = start_dispatch(request)  # enqueues the first wave on Redis when it commits
    assert Invitation.objects.filter(dispatch=dispatch).count() == 0
    SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)

    assert Invitation.objects.filter(dispatch=dispatch, wave=1).count() == 5
    dispatch.refresh_from_db()
    assert dispatch.wave == 1
    # The next wave and the deadline wait in RQ's scheduled registry.
    assert len(ScheduledJobRegistry(queue=rq_queue).get_job_ids()) >= 2

    # A wave task enqueued now (as if its time had come) runs once the wave is due.
    Dispatch.objects.filter(pk=dispatch.pk).update(next_wave_at=timezone.now())
    dispatch_next_wave.enqueue(dispatch.pk, 1)
    SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)

    assert Invitation.objects.filter(dispatch=dispatch, wave=2).count() == 2
    assert set(failed.get_job_ids()) == failed_before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_the_worker_tick_thread_sends_due_waves_on_its_own():
    make_crowd(3)
    request = make_request(make_customer(email="anna@example.com"))
    dispatch = start_dispatch(request)
    stop = threading.Event()
    thread = threading.Thread(target=tick_forever, args=(stop, 0.2), daemon=True)

    thread.start()
    try:
        for _ in range(100):
            if Invitation.objects.filter(dispatch=dispatch).count() == 3:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert Invitation.objects.filter(dispatch=dispatch).count() == 3
