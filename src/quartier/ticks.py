"""The registry of periodic ticks: work a context wants done every so often, straight from
the database, whatever became of the tasks it enqueued (stored events not yet handled,
dispatch's due waves and deadlines, partners' overdue webhooks and SLA checks).

Each context registers its own tick in its `AppConfig.ready()`; the top-level worker
(`quartier worker`, in `quartier.worker`) runs every registered tick, each guarded, so no
context runs another's tick and the kernel knows none of them. A tick must be safe to run
in several workers at once and to run late or twice (it re-reads what is due).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tick:
    name: str
    func: Callable[[], object]
    #: Seconds between runs; None: the worker's interval (`QUARTIER_TICK_SECONDS`).
    every_seconds: float | None = None


_ticks: dict[str, Tick] = {}


def register_tick(
    name: str, func: Callable[[], object], every_seconds: float | None = None
) -> None:
    """Run `func` every `every_seconds` in `quartier worker` (registering a name again
    replaces it, so `ready()` running twice is harmless). `func` returns a report that is
    logged when it is truthy."""
    if every_seconds is not None and every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    _ticks[name] = Tick(name=name, func=func, every_seconds=every_seconds)


def unregister_tick(name: str) -> None:
    _ticks.pop(name, None)


def registered_ticks() -> list[Tick]:
    """Every tick, in the order registered (the order of INSTALLED_APPS)."""
    return list(_ticks.values())
