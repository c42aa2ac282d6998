"""RFC 9457 problem+json responses for every error the API can return.

Body: {"type", "title", "status", "detail", "code", "errors"} where `code` is stable for
clients to branch on and `errors` maps a field path (e.g. "window_end",
"skills.0.level") to its messages.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from quartier.errors import QuartierError, TooManyAttempts

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def problem(
    status: int, detail: str, *, code: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or {},
    }
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


def _field_path(loc: list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]  # drop "body" and the handler's payload argument name
        return ".".join(str(p) for p in parts) or "body"
    elif parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg", "Invalid value."))
        if error.get("type") == "json_invalid":
            message = "The request body is not valid JSON."
        errors.setdefault(_field_path(error.get("loc", [])), []).append(message)
    return errors


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(QuartierError)
    def on_domain_error(request: HttpRequest, exc: QuartierError) -> HttpResponse:
        response = problem(exc.status, exc.detail, code=exc.code, errors=exc.errors)
        if isinstance(exc, TooManyAttempts):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _validation_errors(exc)
        fields = ", ".join(sorted(errors))
        return problem(422, f"Some fields are invalid: {fields}.", code="invalid", errors=errors)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            401,
            "Log in first: send a session cookie or an 'Authorization: Bearer' token.",
            code="not_authenticated",
        )

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = problem(429, "Too many requests; slow down.", code="rate_limited")
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, QuartierError):  # the parser refused the body's content
            return on_domain_error(request, exc.__cause__)
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            message = "The request body is not valid JSON."
            return problem(400, message, code="malformed_json", errors={"body": [message]})
        return problem(exc.status_code, str(exc), code=HTTPStatus(exc.status_code).name.lower())

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is too large: at most {limit // 1_000_000 or 1} MB."
        return problem(413, detail, code="too_large")

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, "Not found.", code="not_found")

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error", exc_info=exc)
        return problem(500, "Something went wrong on our side.", code="server_error")
