"""One exception hierarchy for the whole service layer.

Services raise these; `quartier.api` maps them once to an HTTP status and an RFC 9457
problem+json body, and the web views turn them into friendly form errors. Every error has
a stable machine-readable `code` that clients may branch on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class QuartierError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: Mapping[str, Sequence[str]] | None = None,
        field_codes: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = {field: list(messages) for field, messages in (errors or {}).items()}
        #: The stable code of each field's error, where the service named one: an error that
        #: gathers several fields keeps them, so pages can word each field by its code.
        self.field_codes = dict(field_codes or {})


class InvalidInput(QuartierError):
    """The input is well-formed but breaks a business rule (unknown postcode, bad window)."""

    status = 422
    code = "invalid"
    title = "Invalid input"


class NotAuthenticated(QuartierError):
    status = 401
    code = "not_authenticated"
    title = "Authentication required"


class Forbidden(QuartierError):
    """The actor can see the object but may not do this to it."""

    status = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(QuartierError):
    """Missing, or outside the actor's scope: both look the same, so nothing can be enumerated."""

    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(QuartierError):
    """The object's current state does not allow this (illegal transition, double booking)."""

    status = 409
    code = "conflict"
    title = "Conflict"


class UnsupportedMediaType(QuartierError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


class TooManyAttempts(QuartierError):
    """Too many attempts (log-ins, reset requests) in a short time: try again later."""

    status = 429
    code = "too_many_attempts"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after = retry_after


def field_error(field: str, message: str, *, code: str = "invalid") -> InvalidInput:
    return InvalidInput(message, code=code, errors={field: [message]}, field_codes={field: code})
