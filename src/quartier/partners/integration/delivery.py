"""Delivering webhooks: the SSRF guard, Standard Webhooks signing, the HTTP POST, and the
bookkeeping of attempts, retries and disabling.

The guard runs twice: when an endpoint is saved (`url_check`) and again at every attempt
(`resolve_safely`), because a name that resolved to a public address yesterday may resolve
to 10.0.0.5 today (DNS rebinding). The connection then goes to the address that was
checked, never to a second lookup's answer. Redirects are never followed.

Every attempt is a `WebhookAttempt` row. A 2xx answer delivers; anything else (3xx, 4xx,
5xx, timeout, refused address) is retried on `RETRY_SCHEDULE` by a deferred task, and the
worker's sweep retries whatever a lost task left behind. When a message has used up its
retries and the endpoint accepted nothing for `QUARTIER_WEBHOOK_DISABLE_AFTER_HOURS`, the
endpoint is disabled and the partner's contact gets an e-mail.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks import Webhook

from quartier.notifications.kinds import AddressKind
from quartier.notifications.services import notify_address

from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..states import DeliveryStatus

logger = logging.getLogger(__name__)

#: The wait before attempt 1, 2, ... after the previous one: Standard Webhooks' suggested
#: schedule, stretched to about three days. 12 attempts; the last 67 h 35 min after the first.
RETRY_SCHEDULE: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE)
#: Names that never belong to a partner's public server.
INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".corp")
EXCERPT = 500
USER_AGENT = "Quartier-Webhooks/1"


class UnsafeUrl(Exception):
    """The URL points somewhere Quartier must not send requests to."""


def next_delay(attempts_made: int) -> timedelta | None:
    """How long to wait after `attempts_made` failed attempts; None when retries are used up."""
    return RETRY_SCHEDULE[attempts_made] if attempts_made < MAX_ATTEMPTS else None


def _loopback_allowed() -> bool:
    return bool(settings.QUARTIER_WEBHOOK_ALLOW_LOOPBACK)


#: NAT64 prefixes (RFC 6052): the well-known /96 and the local-use /48.
NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 (2002::/16) or NAT64 address."""
    if ip in NAT64[0]:
        return ipaddress.IPv4Address(ip.packed[12:16])
    if ip in NAT64[1]:  # the /48 layout skips bits 64-71
        return ipaddress.IPv4Address(ip.packed[6:8] + ip.packed[9:11])
    return ip.ipv4_mapped or ip.sixtofour


def address_allowed(address: str) -> bool:
    """Public unicast addresses only; loopback when the setting allows it (local, tests)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (embedded := _embedded_ipv4(ip)) is not None:
        ip = embedded  # 6to4 and NAT64 reach the IPv4 address inside: judge that one
    if ip.is_loopback:
        return _loopback_allowed()
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def url_check(url: str, *, resolve: bool = True) -> None:
    """Refuse URLs a partner may not register: not https (http only to loopback, when
    allowed), credentials in the URL, internal names, private addresses."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeUrl("The URL must start with https:// and name a host.")
    if parts.username or parts.password:
        raise UnsafeUrl("The URL must not contain a user name or password.")
    loopback_name = host == "localhost" or host.endswith(".localhost")
    loopback = loopback_name or (_is_ip(host) and ipaddress.ip_address(host).is_loopback)
    if loopback and not _loopback_allowed():
        raise UnsafeUrl("Loopback addresses are not allowed.")
    if parts.scheme == "http" and not (loopback and _loopback_allowed()):
        raise UnsafeUrl("The URL must use https.")
    if loopback:
        return
    if _is_ip(host):
        if not address_allowed(host):
            raise UnsafeUrl("Private, link-local and reserved addresses are not allowed.")
        return
    if "." not in host or host.endswith(INTERNAL_SUFFIXES):
        raise UnsafeUrl("Internal host names are not allowed.")
    if resolve:  # unresolvable yet (a new DNS record) passes: checked at every delivery
        with contextlib.suppress(socket.gaierror):
            resolve_safely(host, parts.port or 443)


def resolve_safely(host: str, port: int) -> str:
    """The first address `host` resolves to, if every address it resolves to is allowed."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise socket.gaierror(f"{host} has no address")
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise UnsafeUrl(f"{host} resolves to a refused address ({refused[0]}).")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, while Host names the endpoint's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address; the certificate must match the endpoint's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AttemptResult:
    status: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def body_for(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True)


def signed_headers(secret: str, msg_id: str, timestamp: datetime, body: str) -> dict[str, str]:
    """The Standard Webhooks headers for `body` (timestamp: an aware UTC datetime)."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def post(url: str, headers: dict[str, str], body: str) -> AttemptResult:
    """POST once; never follows redirects (a 3xx is a failed attempt). Never raises."""
    started = time.perf_counter()
    timeout = float(settings.QUARTIER_WEBHOOK_TIMEOUT_SECONDS)

    def result(status: int | None = None, excerpt: str = "", error: str = "") -> AttemptResult:
        elapsed = int((time.perf_counter() - started) * 1000)
        return AttemptResult(status, excerpt[:EXCERPT], error[:300], elapsed)

    try:
        url_check(url, resolve=False)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve_safely(host, port)
        kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = kind(host, port, address, timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            excerpt = response.read(EXCERPT * 4).decode("utf-8", "replace")
            return result(response.status, excerpt)
        finally:
            connection.close()
    except UnsafeUrl as refused:
        return result(error=f"refused: {refused}")
    except socket.gaierror as unresolved:
        return result(error=f"DNS: {unresolved}")
    except (OSError, http.client.HTTPException) as failed:
        return result(error=f"{type(failed).__name__}: {failed}" if str(failed) else repr(failed))


# --- bookkeeping ------------------------------------------------------------------------------

#: A claimed attempt holds its delivery this long; after a crash mid-attempt the sweep
#: takes the delivery up again once it has passed.
LEASE = timedelta(minutes=2)
#: The sweep leaves a due delivery to its deferred task for this long first.
SWEEP_GRACE = timedelta(seconds=60)


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take a due delivery for one attempt (compare-and-set: one worker wins)."""
    with transaction.atomic():
        claimed = WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=now + LEASE)
    return claimed == 1


def _send(delivery: WebhookDelivery) -> AttemptResult:
    message, endpoint = delivery.message, delivery.endpoint
    body = body_for(message.payload)
    headers = signed_headers(endpoint.secret, message.msg_id, timezone.now(), body)
    return post(endpoint.url, headers, body)


def _log(delivery: WebhookDelivery, result: AttemptResult, *, manual: bool) -> None:
    WebhookAttempt.objects.create(
        delivery=delivery,
        response_status=result.status,
        response_excerpt=result.excerpt,
        error=result.error,
        duration_ms=result.duration_ms,
        manual=manual,
    )


def delivery_attempt(*, delivery_id: int) -> str:
    """One scheduled attempt, if the delivery is due; returns its status afterwards
    ("skipped" when it was not due or another worker had it). Safe to run twice."""
    from ..tasks import webhook_deliver

    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = (
        WebhookDelivery.objects.select_related("message", "endpoint").filter(pk=delivery_id).first()
    )
    if delivery is None:  # the endpoint was deleted meanwhile
        return "skipped"
    result = _send(delivery)
    done = timezone.now()
    with transaction.atomic():
        _log(delivery, result, manual=False)
        attempts = delivery.attempts + 1
        delay = None if result.ok else next_delay(attempts)
        status = (
            DeliveryStatus.SUCCEEDED
            if result.ok
            else (DeliveryStatus.PENDING if delay is not None else DeliveryStatus.FAILED)
        )
        next_at = done + delay if delay is not None else None
        moved = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.PENDING
        ).update(
            status=status, attempts=F("attempts") + 1, last_attempt_at=done, next_attempt_at=next_at
        )
        if moved != 1:  # redelivered by hand or its endpoint disabled meanwhile
            return "skipped"
        if next_at is not None:
            transaction.on_commit(_enqueue_retry(webhook_deliver, delivery.pk, next_at))
        if status == DeliveryStatus.FAILED:
            endpoint_check_failing(endpoint_id=delivery.endpoint_id, now=done)
    return str(status)


def delivery_attempt_now(*, delivery: WebhookDelivery) -> WebhookAttempt:
    """A manual redelivery: one attempt now, logged as manual, whatever the status. A
    success delivers the message; a failure changes nothing else (the schedule goes on)."""
    result = _send(delivery)
    with transaction.atomic():
        _log(delivery, result, manual=True)
        changes: dict[str, Any] = {"last_attempt_at": timezone.now()}
        if result.ok:
            changes |= {"status": DeliveryStatus.SUCCEEDED, "next_attempt_at": None}
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
    return WebhookAttempt.objects.filter(delivery=delivery, manual=True).order_by("-pk")[0]


def _enqueue_retry(task: Any, delivery_id: int, run_after: datetime) -> Callable[[], None]:
    def enqueue() -> None:
        try:
            task.using(run_after=run_after).enqueue(delivery_id)
        except Exception:  # queue down or no deferred tasks: the sweep retries it
            logger.warning("webhook delivery %s: retry not enqueued; the sweep will", delivery_id)

    return enqueue


def webhook_sweep(*, limit: int = 100, budget_seconds: float = 20.0) -> int:
    """Attempt deliveries whose retry is overdue (their task was lost, or the worker was
    down); returns how many were attempted. Stops after `budget_seconds` so the worker's
    tick is not held up by slow endpoints; the rest wait for the next tick."""
    started = time.perf_counter()
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now() - SWEEP_GRACE
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    attempted = 0
    for delivery_id in due:
        if time.perf_counter() - started > budget_seconds:
            break
        try:
            attempted += delivery_attempt(delivery_id=delivery_id) != "skipped"
        except Exception:
            logger.exception("webhook delivery %s: sweep attempt failed", delivery_id)
    return attempted


# --- disabling a failing endpoint -----------------------------------------------------------


def endpoint_check_failing(*, endpoint_id: int, now: datetime) -> bool:
    """After a message used up its retries: disable the endpoint if it accepted nothing for
    QUARTIER_WEBHOOK_DISABLE_AFTER_HOURS. Its pending deliveries fail with it; the partner
    is e-mailed after commit. True when it was disabled now."""
    hours = float(settings.QUARTIER_WEBHOOK_DISABLE_AFTER_HOURS)
    since = now - timedelta(hours=hours)
    accepted = WebhookAttempt.objects.filter(
        delivery__endpoint_id=endpoint_id,
        attempted_at__gte=since,
        response_status__gte=200,
        response_status__lt=300,
    ).exists()
    if accepted:
        return False
    failed = WebhookDelivery.objects.filter(
        endpoint_id=endpoint_id, status=DeliveryStatus.FAILED
    ).count()
    reason = f"no message was accepted for {hours:g} hours ({failed} failed after all retries)."
    moved = WebhookEndpoint.objects.filter(pk=endpoint_id, is_enabled=True).update(
        is_enabled=False, disabled_at=now, disabled_reason=reason[:200]
    )
    if moved != 1:
        return False
    WebhookDelivery.objects.filter(endpoint_id=endpoint_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None
    )
    endpoint = WebhookEndpoint.objects.select_related("partner").get(pk=endpoint_id)
    notify_address(
        email=endpoint.partner.contact_email,
        language=settings.LANGUAGE_CODE,  # a partner has no language on record (yet)
        kind=AddressKind.WEBHOOK_DISABLED,
        context={
            "partner": endpoint.partner.name,
            "endpoint_url": endpoint.url,
            "hours": f"{hours:g}",
            "failed": failed,
        },
    )
    logger.warning("webhook endpoint %s disabled: %s", endpoint_id, reason)
    return True
