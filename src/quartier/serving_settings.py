"""Settings for serving in production, apart from settings.py to keep both readable:
HTTPS behind a TLS proxy, the Content Security Policy, metrics and JSON logs.

`serving_settings(production=…)` returns them as a dict that settings.py adds to itself.
"""

from __future__ import annotations

import os
from typing import Any

from csp.constants import NONCE, NONE, SELF


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def serving_settings(*, production: bool) -> dict[str, Any]:
    # HTTPS. In production Quartier sits behind a TLS proxy that says so in X-Forwarded-Proto
    # (QUARTIER_BEHIND_PROXY=0 when it does not): every http:// request is redirected, HSTS
    # is sent, cookies are secure, and absolute links (widget.js's iframe, e-mails) say https.
    https = env_bool("QUARTIER_HTTPS", production)
    conf: dict[str, Any] = {
        "QUARTIER_HTTPS": https,
        "SECURE_SSL_REDIRECT": https,
        # Probes and metrics come from inside, over plain http.
        "SECURE_REDIRECT_EXEMPT": [r"^healthz$", r"^readyz$", r"^metrics$"],
        "SECURE_HSTS_SECONDS": int(os.environ.get("QUARTIER_HSTS_SECONDS", "31536000"))
        if https
        else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": env_bool("QUARTIER_HSTS_SUBDOMAINS", True),
        "SECURE_HSTS_PRELOAD": env_bool("QUARTIER_HSTS_PRELOAD", True),
        "SESSION_COOKIE_SECURE": https,
        "CSRF_COOKIE_SECURE": https,
        # The branded embed alone may be framed (its own CSP says where).
        "X_FRAME_OPTIONS": "DENY",
        "CONTENT_SECURITY_POLICY": _csp(),
        # Prometheus metrics at /metrics (quartier/metrics.py): loopback, or this bearer token.
        "QUARTIER_METRICS_TOKEN": os.environ.get("QUARTIER_METRICS_TOKEN", ""),
        "LOGGING": _logging(),
    }
    if os.environ.get("REDIS_URL"):
        # Sessions read from Redis (written through to the database, which stays the truth):
        # a signed-in page then costs one query less. Only with a cache every process sees,
        # never a per-process one, where a log-out in one worker would not reach the others.
        conf["SESSION_ENGINE"] = "django.contrib.sessions.backends.cached_db"
        conf["SESSION_CACHE_ALIAS"] = "shared"
    if https and env_bool("QUARTIER_BEHIND_PROXY", True):
        conf["SECURE_PROXY_SSL_HEADER"] = ("HTTP_X_FORWARDED_PROTO", "https")
    return conf


def _csp() -> dict[str, Any]:
    """Our own scripts and styles only; the few inline blocks (the embed's height reporter,
    a partner's brand colour) carry the per-response nonce. Nothing may frame a page except
    the embed view, which sets its own frame-ancestors."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, NONCE],
            # Style attributes (the back office's widgets, a partner's brand colour) cannot
            # carry a nonce; they cannot run code either.
            "style-src-attr": ["'unsafe-inline'"],
            "img-src": [SELF, "data:"],
            "connect-src": [SELF],
            "font-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


def _logging() -> dict[str, Any]:
    """One JSON object per line with the request id (quartier/logs.py); LOG_FORMAT=text for
    plain lines while developing. The access line (quartier.access) replaces Django's own."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "quartier.logs.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": ["asctime", "levelname", "name", "message", "request_id"],
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            },
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "text" if os.environ.get("LOG_FORMAT") == "text" else "json",
            }
        },
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {"django.server": {"level": "WARNING"}},
    }
