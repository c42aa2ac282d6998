"""The probes a load balancer asks: up, and ready to serve."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", _broken)

    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database_the_cache_and_the_queue():
    response = Client().get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }


def test_readyz_is_503_and_names_what_fails(monkeypatch):
    monkeypatch.setitem(health.CHECKS, "queue", _broken)

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "queue": "failing"}


def _broken() -> None:
    raise ConnectionError("nobody answers")
