"""Probes for load balancers and orchestrators.

`/healthz`: the process is up and answers (no dependency is touched, so a database outage
does not make every app process look dead and get restarted). `/readyz`: this process can
serve: the database, the shared cache and the task queue answer; 503 names what does not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("quartier.health")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _shared_cache() -> None:
    cache = caches["shared"]
    cache.set("readyz", "1", 10)
    if cache.get("readyz") != "1":
        raise RuntimeError("the shared cache did not keep a value")


def _queue() -> None:
    """The task backend's store: Redis for RQ, else the database queue's table."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.endswith("RQBackend"):
        import django_rq

        django_rq.get_connection("default").ping()
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exists()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _shared_cache,
    "queue": _queue,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # any failure means "not ready": say which, log why
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = "failing"
    ready = all(result == "ok" for result in results.values())
    body = {"status": "ready" if ready else "not_ready", "checks": results}
    return JsonResponse(body, status=200 if ready else 503)
