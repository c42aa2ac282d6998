"""The per-key rate limit: 429 problem+json with Retry-After, RateLimit headers, per key."""

from __future__ import annotations

import time
from typing import Any

from quartier.partners.integration.ratelimit import rate_limit_hit
from quartier.partners.models import Case
from tests.partners.partner_client import CASE, PartnerSetup, partner_setup, swisstel

__all__ = ["swisstel"]


def test_over_the_limit_is_429_with_retry_after(swisstel: PartnerSetup, settings: Any) -> None:
    settings.QUARTIER_PARTNER_RATE_LIMIT = 3
    answers = [swisstel.api.get("/programs") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "3"

    refused = swisstel.api.post("/cases", CASE, idempotency_key="k-1")

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.data["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert not Case.objects.exists()


def test_a_rate_limited_post_does_not_burn_its_idempotency_key(
    swisstel: PartnerSetup, settings: Any
) -> None:
    settings.QUARTIER_PARTNER_RATE_LIMIT = 1
    swisstel.api.get("/programs")
    assert swisstel.api.post("/cases", CASE, idempotency_key="k-1").status_code == 429

    settings.QUARTIER_PARTNER_RATE_LIMIT = 100  # as if the next minute had come
    retried = swisstel.api.post("/cases", CASE, idempotency_key="k-1")

    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried


def test_the_limit_is_per_key(swisstel: PartnerSetup, settings: Any) -> None:
    settings.QUARTIER_PARTNER_RATE_LIMIT = 1
    other = partner_setup("homefix")

    assert swisstel.api.get("/programs").status_code == 200
    assert swisstel.api.get("/programs").status_code == 429
    assert other.api.get("/programs").status_code == 200


def test_the_window_resets_each_minute(swisstel: PartnerSetup, settings: Any) -> None:
    settings.QUARTIER_PARTNER_RATE_LIMIT = 2
    start = (time.time() // 60) * 60 + 10

    assert not rate_limit_hit(swisstel.key.digest, now=start).exceeded
    assert not rate_limit_hit(swisstel.key.digest, now=start + 1).exceeded
    over = rate_limit_hit(swisstel.key.digest, now=start + 2)
    assert over.exceeded
    assert over.reset_seconds == 48
    assert not rate_limit_hit(swisstel.key.digest, now=start + 60).exceeded
