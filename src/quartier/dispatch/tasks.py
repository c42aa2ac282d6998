"""Background tasks of dispatch (django-tasks): each takes ids, re-reads the state and calls one
service, so running it twice, late or after `dispatch_tick` already did the work is harmless.

Enqueued after commit by the services; deferred ones carry `run_after`. The database backend
runs them with `quartier worker`; with REDIS_URL set, RQ does (`quartier worker` too).
"""

from __future__ import annotations

from django_tasks import task


@task()
def dispatch_start(request_id: int) -> int:
    """The first wave of a new request's dispatch; returns how many helpers were invited."""
    from .services import dispatch_first_wave

    return dispatch_first_wave(request_id=request_id)


@task()
def dispatch_next_wave(dispatch_id: int, expected_wave: int) -> int:
    """The next wave, unless the dispatch moved on (another wave, ended) or it is not due."""
    from .services import dispatch_wave

    return dispatch_wave(dispatch_id=dispatch_id, expected_wave=expected_wave)


@task()
def dispatch_deadline(dispatch_id: int) -> bool:
    """Stop the dispatch at its deadline (exhausted + e-mail, or escalated)."""
    from .services import dispatch_deadline_reach

    return dispatch_deadline_reach(dispatch_id=dispatch_id)


@task()
def dispatch_notify_customer(dispatch_id: int) -> bool:
    """Tell the customer that nobody was found (at most one e-mail per dispatch)."""
    from .services import dispatch_customer_notify

    return dispatch_customer_notify(dispatch_id=dispatch_id)
