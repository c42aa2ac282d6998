"""`quartier worker`: run background tasks, plus the dispatch tick.

Tasks run on the configured django-tasks backend: the database worker (`db_worker` from
django_tasks_db) by default, or an RQ worker (`rqworker` from django_rq, with the django-tasks
job class and RQ's scheduler for deferred tasks) when the backend is RQ (REDIS_URL set).

Besides, a small thread calls `dispatch_tick` every QUARTIER_DISPATCH_TICK_SECONDS (30 s),
so dispatch waves and deadlines fire on time even if a deferred task was lost (queue flushed,
worker down at the time, enqueue failed). The same tick retries overdue partner webhooks and
enforces partner SLAs (`quartier.partners.tasks.partners_tick`). Running it in several
workers at once is safe: every step locks its dispatch row and checks that the work is still
due (a webhook delivery is claimed by compare-and-set first).

    quartier worker                 # forever
    quartier worker --batch         # one tick, then every task that is due, then exit
    quartier worker --no-tick       # tasks only
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from quartier.dispatch.services import TickReport, dispatch_tick

logger = logging.getLogger("quartier.dispatch.worker")


def tick_once() -> TickReport:
    try:
        report = dispatch_tick()
        partners_tick_guarded()
        return report
    finally:
        connections.close_all()  # this thread's connections only


def partners_tick_guarded() -> object:
    """Partner webhook retries and SLA checks ride on the same tick (quartier.partners)."""
    from quartier.partners.tasks import partners_tick

    try:
        report = partners_tick()
    except Exception:
        logger.exception("partners tick failed")
        return None
    if report:
        logger.info("partners tick: %s", report)
    return report


def tick_forever(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            report = tick_once()
            if report.settled or report.deadlines or report.waves or report.failed:
                logger.info("dispatch tick: %s", report)
        except Exception:  # the database may be away for a moment; try again next time
            logger.exception("dispatch tick failed")
        stop.wait(every)


class Command(BaseCommand):
    help = "Run background tasks (database or RQ worker) and the periodic dispatch tick."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run one dispatch tick and every task that is due, then exit.",
        )
        parser.add_argument(
            "--no-tick", action="store_true", help="Do not run the periodic dispatch tick."
        )
        parser.add_argument(
            "--tick-seconds",
            type=float,
            default=None,
            help="Seconds between dispatch ticks (default: QUARTIER_DISPATCH_TICK_SECONDS).",
        )
        parser.add_argument(
            "--queue-name", default="default", help="Queues to work on, comma-separated."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Database worker: seconds to wait when no task is ready.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch: bool = options["batch"]
        every = options["tick_seconds"] or settings.QUARTIER_DISPATCH_TICK_SECONDS
        stop = threading.Event()
        if not options["no_tick"]:
            if batch:
                report = dispatch_tick()
                self.stdout.write(f"dispatch tick: {report}")
                self.stdout.write(f"partners tick: {partners_tick_guarded()}")
            else:
                thread = threading.Thread(
                    target=tick_forever, args=(stop, every), name="dispatch-tick", daemon=True
                )
                thread.start()
                self.stdout.write(f"dispatch tick every {every:g} s")
        try:
            self.run_tasks(
                options["queue_name"].split(","), options["interval"], batch, options["verbosity"]
            )
        finally:
            stop.set()

    def run_tasks(self, queues: list[str], interval: float, batch: bool, verbosity: int) -> None:
        backend = task_backends["default"]
        if isinstance(backend, DatabaseBackend):
            call_command(
                "db_worker",
                queue_name=",".join(queues),
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                verbosity=verbosity,
            )
        else:  # RQ (the only other backend configured in settings)
            call_command(
                "rqworker",
                *queues,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=batch,
                verbosity=verbosity,
            )
