"""gunicorn's configuration for Quartier (`gunicorn -c deploy/gunicorn.conf.py quartier.wsgi`).

Every value can be set from the environment; the defaults suit one machine:
QUARTIER_BIND (127.0.0.1:8000), WEB_CONCURRENCY (worker processes: 2 per core + 1, at most
9), QUARTIER_THREADS (threads per worker: 4), QUARTIER_MAX_REQUESTS (a worker is replaced after
about this many requests: 50,000), QUARTIER_FORWARDED_ALLOW_IPS (proxies whose
X-Forwarded-* headers are believed: 127.0.0.1).
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("QUARTIER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("QUARTIER_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak never grows into an outage; not too often: a
# worker answering 250 requests a second recycled every 2,000 restarted every 8 s, and a
# restart (loading Django and the app, about a second of CPU) stalls its requests — with
# both workers at once nothing was answered for seconds (the HTTP bench, bench/http.py).
max_requests = int(os.environ.get("QUARTIER_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 5
forwarded_allow_ips = os.environ.get("QUARTIER_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "quartier-web"

# The access line comes from the app (quartier/logs.py: JSON, with the request id).
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Prometheus: each worker writes its figures here; a scrape of any worker adds them up.
_metrics_dir = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR",
        str(Path(os.environ.get("QUARTIER_VAR_DIR", "var")).resolve() / "prometheus"),
    )
)


def on_starting(server):  # type: ignore[no-untyped-def]
    """A fresh directory per start: figures of dead processes would count twice."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Load every view now (not on the first request), then exempt all that is loaded from
    the garbage collector (`gc.freeze`): a full collection otherwise walks the whole of
    Django and the app, a pause of 100-250 ms every few hundred requests, which was the
    HTTP bench's slow tail (bench/http.py)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and every view)
    gc.freeze()


def post_request(worker, req, environ, resp):  # type: ignore[no-untyped-def]
    """Once more after the first requests, which compiled the templates and filled the
    per-process caches: they stay for the worker's life too."""
    if worker.nr >= 200 and not getattr(worker, "quartier_frozen", False):
        import gc

        worker.quartier_frozen = True
        gc.freeze()


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
