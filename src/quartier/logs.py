"""Structured logs: one JSON object per line, each carrying the request id of its request.

`RequestIdMiddleware` takes the id a proxy sent (`X-Request-ID`, if it looks like one) or
makes one, answers with it, and keeps it in a context variable for the log records written
while the request is served; at the end it writes one access line (method, path, status,
milliseconds). `RequestIdFilter` copies the id onto every record, so a log aggregator can
gather all lines of one request across the app's modules.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("quartier.access")

# What we accept from a proxy: short and printable, so a client cannot forge log lines.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("X-Request-ID", "")
        rid = sent if _VALID_ID.match(sent) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
