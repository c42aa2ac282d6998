"""The task that delivers stored events after the commit that recorded them."""

from __future__ import annotations

from django_tasks import task


@task()
def events_deliver_task() -> int:
    from .outbox import events_deliver

    return events_deliver()
