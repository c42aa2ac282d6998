"""Authentication of the partner API: `Authorization: Bearer qpk_...`, separate from users.

`PartnerKeyAuth` is the ninja auth class (and the OpenAPI security scheme). `partner_view`
wraps an operation as a whole, auth and body validation included, to count the call against
the key's rate limit and, for POSTs, to honour `Idempotency-Key`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBearer

from quartier.errors import NotAuthenticated

from ..models import Partner, PartnerApiKey
from .idempotency import idempotent_call
from .keys import api_key_authenticate
from .ratelimit import rate_limit_hit, rate_limited_response

_CACHED = "_quartier_partner_api_key"
_MISSING = object()


def request_api_key(request: HttpRequest) -> PartnerApiKey | None:
    """The live partner key the request carries (looked up once per request)."""
    cached = getattr(request, _CACHED, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    key = api_key_authenticate(token.strip()) if scheme.lower() == "bearer" else None
    setattr(request, _CACHED, key)
    return key


class PartnerKeyAuth(HttpBearer):
    """A partner API key (`qpk_...`), created on the partner settings page."""

    def __call__(self, request: HttpRequest) -> PartnerApiKey:
        key = request_api_key(request)
        if key is None:
            raise NotAuthenticated(
                "Send a valid partner API key: 'Authorization: Bearer qpk_...'.",
                code="invalid_api_key",
            )
        return key

    def authenticate(self, request: HttpRequest, token: str) -> PartnerApiKey | None:
        return request_api_key(request)


def current_partner(request: HttpRequest) -> tuple[Partner, PartnerApiKey]:
    """The partner and key of an authenticated partner API call."""
    key = request_api_key(request)
    if key is None:  # pragma: no cover - the auth class answered 401 already
        raise NotAuthenticated("Send a valid partner API key.", code="invalid_api_key")
    return key.partner, key


def partner_view(*, idempotent: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wraps ninja's `operation.run` (use with `ninja.decorators.decorate_view`)."""

    def decorate(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = request_api_key(request)
            if key is None:
                return run(request, *args, **kwargs)  # answers 401
            limit = rate_limit_hit(key.digest)
            if limit.exceeded:
                response = rate_limited_response(limit)
            elif idempotent:
                response = idempotent_call(
                    request, key.partner_id, lambda: run(request, *args, **kwargs)
                )
            else:
                response = run(request, *args, **kwargs)
            limit.apply_headers(response)
            return response

        return view

    return decorate
