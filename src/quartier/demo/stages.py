"""Time per stage of the demo seed: wall clock and this process's CPU, printed at the end
of `quartier demo` (so a slow seed says where its time went, and how busy the machine was);
and the seed's background tasks, which go nowhere."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.test.utils import override_settings

#: Tasks enqueued while seeding are dropped (django-tasks' in-memory dummy backend).
DISCARD = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}


@contextmanager
def tasks_discarded() -> Iterator[None]:
    """The demo's history happened long ago: its e-mails are not sent (each notification is
    in its recipient's inbox) and no task is queued for the worker to work through after
    the site starts. What tasks would hurry — event delivery, dispatch waves, webhooks —
    the worker's ticks pick up from the database, as when the queue is away."""
    with override_settings(TASKS=DISCARD):
        yield


@dataclass(frozen=True)
class Stage:
    name: str
    wall_s: float
    cpu_s: float


@dataclass
class Stopwatch:
    stages: list[Stage] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.stages.append(Stage(name, time.perf_counter() - wall, time.process_time() - cpu))

    def lines(self) -> list[str]:
        """One line per stage and a total: `  name   12.3 s wall   10.1 s CPU`."""
        width = max((len(s.name) for s in self.stages), default=5)
        rows = [*self.stages, Stage("total", self.wall_s, self.cpu_s)]
        return [f"  {s.name:<{width}}  {s.wall_s:6.1f} s wall  {s.cpu_s:6.1f} s CPU" for s in rows]

    @property
    def wall_s(self) -> float:
        return sum(s.wall_s for s in self.stages)

    @property
    def cpu_s(self) -> float:
        return sum(s.cpu_s for s in self.stages)
