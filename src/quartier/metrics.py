"""Prometheus metrics at `/metrics`: django-prometheus's request, response and database
figures, plus what only the database knows, read at scrape time — the task queue's depth,
the partners' webhook backlog and the domain events still to be handled.

Under gunicorn every worker process counts on its own; with `PROMETHEUS_MULTIPROC_DIR` set
(deploy/gunicorn.conf.py sets it) a scrape adds them up, whichever worker answers.
The endpoint answers loopback clients that did not come through a proxy, or anyone sending
`Authorization: Bearer <QUARTIER_METRICS_TOKEN>`; everyone else gets 404, as if it did not
exist.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from quartier.events.outbox import pending_count
from quartier.partners.facade import webhook_backlog


def queue_depth() -> int:
    """Tasks waiting for a worker: RQ's queue in Redis, else the database queue's rows."""
    if str(settings.TASKS["default"]["BACKEND"]).endswith("RQBackend"):
        import django_rq

        return int(django_rq.get_queue("default").count)
    from django_tasks_db.models import DBTaskResult

    return int(DBTaskResult.objects.filter(status="READY").count())


class BacklogCollector(Collector):
    """Gauges computed on each scrape, so every process reports the same truth."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "quartier_task_queue_depth", "Background tasks waiting for a worker.", queue_depth()
        )
        yield GaugeMetricFamily(
            "quartier_webhook_backlog",
            "Partner webhook deliveries still to be delivered.",
            webhook_backlog(),
        )
        yield GaugeMetricFamily(
            "quartier_events_pending",
            "Domain events some handler has still to handle.",
            pending_count(),
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for collector in list(REGISTRY._collector_to_names):  # this process's own metrics
            registry.register(collector)
    registry.register(BacklogCollector())
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = str(getattr(settings, "QUARTIER_METRICS_TOKEN", ""))
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers:  # came through a proxy: not a local scraper
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
