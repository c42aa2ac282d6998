"""Site-wide limits on what a request may carry, checked before anything reads the body.

- Size: a request whose Content-Length passes the limit is answered 413 at once, without
  reading a byte of it: `QUARTIER_MAX_REQUEST_BYTES` (photos: 5 of 8 MB) when it carries a
  session cookie or an Authorization header, `DATA_UPLOAD_MAX_MEMORY_SIZE` otherwise (no
  anonymous page takes files). A body that only turns out too big while being read
  (`RequestDataTooBig`) is a 413 too.
- NUL characters in the query string are refused (PostgreSQL cannot store or compare
  them): 422 problem+json for the API, 400 for pages. Form fields are refused by Django's
  forms (every CharField), the API's JSON and form bodies by its parser (`quartier.api`).

API paths (under /api/) answer problem+json; pages a short plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from quartier.problems import problem

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _looks_signed_in(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    detail = f"The request is too large: at most {limit // 1_000_000 or 1} MB."
    if _is_api(request):
        return problem(413, detail, code="too_large")
    return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = (
            settings.QUARTIER_MAX_REQUEST_BYTES
            if _looks_signed_in(request)
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large(request, limit)
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            detail = "The address contains a NUL character."
            if _is_api(request):
                return problem(422, detail, code="nul_character", errors={"query": [detail]})
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None
