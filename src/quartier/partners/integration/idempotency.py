"""`Idempotency-Key` for partner POSTs (IETF draft-ietf-httpapi-idempotency-key-header).

The first request with a key inserts its `IdempotencyKey` row (unique per partner and key)
in a transaction of its own, before any work: a concurrent retry then finds the row and is
answered 409 `idempotency_key_in_flight` instead of doing the work twice. The handler's work
and the stored response commit together, so a stored success always matches committed work;
an error response (4xx) is stored after the work was rolled back. Retries with the same key
and the same request get the stored response again (`Idempotent-Replayed: true`); the same
key with another body, method or path is 422 `idempotency_key_reused`. A 5xx is not stored
(the row is deleted, so the client may retry); neither are 409 in-flight and 429 answers,
which never reach the handler. Rows are purged after QUARTIER_PARTNER_IDEMPOTENCY_HOURS.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from quartier.problems import CONTENT_TYPE, problem

from ..models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
#: A row still without a response after this long belongs to a process that died mid-request.
ABANDONED_AFTER = timedelta(minutes=5)


class _Rollback(Exception):
    """Leaves the work's transaction without committing, carrying the error response."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 of method, path and body; a JSON body is canonicalised first, so a client
    that re-serialises the same object (key order, spacing) is still recognised."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _header_key(request: HttpRequest) -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        return None
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':  # the draft's sf-string form
        value = value[1:-1]
    return value


def _replay(row: IdempotencyKey) -> HttpResponse:
    status = row.status_code or 200
    content_type = CONTENT_TYPE if status >= 400 else "application/json"
    response = HttpResponse(row.response_body, status=status, content_type=content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(
    partner_id: int, key: str, method: str, path: str, fingerprint: str
) -> IdempotencyKey | HttpResponse:
    """Our own fresh row, or the answer for a key seen before."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                partner_id=partner_id, key=key, method=method, path=path, fingerprint=fingerprint
            )
    except IntegrityError:
        pass
    row = IdempotencyKey.objects.filter(partner_id=partner_id, key=key).first()
    if row is None:  # purged in between: a fresh start
        return _claim(partner_id, key, method, path, fingerprint)
    if row.fingerprint != fingerprint:
        return problem(
            422,
            "This Idempotency-Key was used for a different request; use a new key.",
            code="idempotency_key_reused",
            errors={HEADER: ["Already used with another body, method or path."]},
        )
    if row.status_code is not None:
        return _replay(row)
    stale = timezone.now() - ABANDONED_AFTER
    taken = IdempotencyKey.objects.filter(
        pk=row.pk, status_code__isnull=True, created_at=row.created_at, created_at__lt=stale
    ).update(created_at=timezone.now())
    if taken == 1:  # the first attempt died without an answer: this one takes over
        row.refresh_from_db()
        return row
    response = problem(
        409,
        "A request with this Idempotency-Key is still being processed; retry shortly.",
        code="idempotency_key_in_flight",
    )
    response["Retry-After"] = "1"
    return response


def _store(row: IdempotencyKey, response: HttpResponse) -> None:
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status_code=response.status_code, response_body=response.content.decode()
    )


def idempotent_call(
    request: HttpRequest, partner_id: int, run: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run a partner POST at most once per `Idempotency-Key` (without the header: just run)."""
    key = _header_key(request)
    if key is None:
        return run()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return problem(
            400,
            f"The Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters.",
            code="invalid_idempotency_key",
            errors={HEADER: ["1 to 255 printable characters, e.g. a UUID."]},
        )
    method, path = request.method or "POST", request.path
    claimed = _claim(partner_id, key, method, path, request_fingerprint(method, path, request.body))
    if isinstance(claimed, HttpResponse):
        return claimed
    try:
        with transaction.atomic():
            response = run()
            if response.status_code >= 400:
                raise _Rollback(response)
            _store(claimed, response)
    except _Rollback as rollback:
        response = rollback.response
        if response.status_code >= 500:
            claimed.delete()
        else:
            _store(claimed, response)
    except BaseException:
        claimed.delete()
        raise
    return response


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Forget keys older than QUARTIER_PARTNER_IDEMPOTENCY_HOURS; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.QUARTIER_PARTNER_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
