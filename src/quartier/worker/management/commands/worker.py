"""`quartier worker`: run background tasks, plus every context's periodic tick.

Tasks run on the configured django-tasks backend: the database worker (`db_worker` from
django_tasks_db) by default, or an RQ worker (`rqworker` from django_rq, with the django-tasks
job class and RQ's scheduler for deferred tasks) when the backend is RQ (REDIS_URL set).

Besides, a small thread runs the ticks that contexts registered in `quartier.ticks` (events:
stored events not yet handled; dispatch: due waves and deadlines; partners: overdue webhooks,
SLA checks), each every QUARTIER_TICK_SECONDS (30 s) unless it asked for its own interval,
so the work fires on time even if a deferred task was lost (queue flushed, worker down at
the time, enqueue failed).
Each tick is guarded: one that fails is logged and the others go on. Running several workers
at once is safe: every tick locks or claims (compare-and-set) what it works on and checks
that the work is still due.

    quartier worker                 # forever
    quartier worker --batch         # every tick once, then every task that is due, then exit
    quartier worker --no-tick       # tasks only
"""

from __future__ import annotations

import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from quartier.ticks import registered_ticks
from quartier.worker.runner import tick_forever, tick_run


class Command(BaseCommand):
    help = "Run background tasks (database or RQ worker) and every registered periodic tick."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every tick once and every task that is due, then exit.",
        )
        parser.add_argument("--no-tick", action="store_true", help="Do not run the periodic ticks.")
        parser.add_argument(
            "--tick-seconds",
            type=float,
            default=None,
            help="Seconds between ticks (default: QUARTIER_TICK_SECONDS).",
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
        every = options["tick_seconds"] or settings.QUARTIER_TICK_SECONDS
        stop = threading.Event()
        if not options["no_tick"]:
            if batch:
                for tick in registered_ticks():
                    self.stdout.write(f"{tick.name} tick: {tick_run(tick)}")
            else:
                thread = threading.Thread(
                    target=tick_forever, args=(stop, every), name="ticks", daemon=True
                )
                thread.start()
                names = ", ".join(tick.name for tick in registered_ticks())
                self.stdout.write(f"ticks ({names}) every {every:g} s")
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
