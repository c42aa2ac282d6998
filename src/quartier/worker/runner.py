"""Running the registered ticks (quartier.ticks): once, or forever in a thread of the worker.

Each tick is guarded: one that raises is logged and the others still run, now and at the
next turn. A tick's report is logged when it is truthy (something happened).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

from django.db import connections

from quartier.ticks import Tick, registered_ticks

logger = logging.getLogger("quartier.worker")


def tick_run(tick: Tick) -> object:
    """Run one tick; its report, or None when it failed (logged)."""
    try:
        report = tick.func()
    except Exception:  # the database may be away for a moment; try again next time
        logger.exception("%s tick failed", tick.name)
        return None
    if report:
        logger.info("%s tick: %s", tick.name, report)
    return report


def tick_once(ticks: Sequence[Tick] | None = None) -> dict[str, object]:
    """Run the given ticks (default: every registered one) in order, each guarded;
    returns each tick's report by name (None for one that failed)."""
    return {tick.name: tick_run(tick) for tick in (registered_ticks() if ticks is None else ticks)}


def tick_forever(stop: threading.Event, every: float) -> None:
    """Run each registered tick every `every_seconds` (its own, else `every`) until `stop`
    is set. Meant for a thread of its own: closes that thread's connections after each turn."""
    last_run: dict[str, float] = {}
    while not stop.is_set():
        now = time.monotonic()
        ticks = registered_ticks()
        due = [
            tick
            for tick in ticks
            if tick.name not in last_run
            or now - last_run[tick.name] >= (tick.every_seconds or every)
        ]
        for tick in due:
            last_run[tick.name] = now
        try:
            tick_once(due)
        finally:
            connections.close_all()  # this thread's connections only
        waits = [
            last_run.get(tick.name, now) + (tick.every_seconds or every) - time.monotonic()
            for tick in ticks
        ]
        stop.wait(max(0.01, min(waits, default=every)))
