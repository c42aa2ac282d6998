"""Operators' view of a running Quartier: request ids, JSON logs, Prometheus metrics."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from quartier.events import record_event
from quartier.partners.integration.outbox import webhook_emit
from tests.partners.test_webhooks_support import setup_partner


@pytest.mark.django_db
def test_every_answer_names_its_request_id_and_keeps_a_proxys():
    fresh = Client().get("/healthz")
    kept = Client().get("/healthz", headers={"X-Request-ID": "edge-1234abcd"})
    forged = Client().get("/healthz", headers={"X-Request-ID": "x\n{fake log line}"})

    assert len(fresh["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "edge-1234abcd"
    assert forged["X-Request-ID"] != "x\n{fake log line}"


@pytest.mark.django_db
def test_the_access_log_is_one_json_object_with_the_request_id(caplog):
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    with caplog.at_level(logging.INFO, logger="quartier.access"):
        Client().get("/healthz", headers={"X-Request-ID": "req-00000042"})

    record = next(r for r in caplog.records if r.name == "quartier.access")
    line = json.loads(console.format(record))
    assert line["request_id"] == "req-00000042"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["level"] == "INFO"
    assert "duration_ms" in line


def _metric(text: str, name: str) -> float:
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


@pytest.mark.django_db
def test_metrics_count_the_webhook_backlog_and_unhandled_events():
    setup = setup_partner("https://hooks.example.ch/quartier")
    before = Client().get("/metrics").content.decode()
    webhook_emit(partner_id=setup.partner.pk, event_type="case.created", data={"reference": "A"})
    record_event("review.created", review_id=1)

    after = Client().get("/metrics")

    assert after.status_code == 200
    text = after.content.decode()
    assert (
        _metric(text, "quartier_webhook_backlog") == _metric(before, "quartier_webhook_backlog") + 1
    )
    assert _metric(text, "quartier_events_pending") > _metric(before, "quartier_events_pending")
    assert "quartier_task_queue_depth" in text
    assert "django_http_requests_total_by_method_total" in text  # django-prometheus's own


@pytest.mark.django_db
def test_metrics_are_hidden_from_the_internet_unless_the_token_is_sent(settings):
    settings.QUARTIER_METRICS_TOKEN = "s3cret-scrape-token"
    outside = Client(REMOTE_ADDR="203.0.113.9")

    assert outside.get("/metrics").status_code == 404
    assert outside.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    token = {"Authorization": "Bearer s3cret-scrape-token"}
    assert outside.get("/metrics", headers=token).status_code == 200
    # A proxy on this machine forwards the internet from loopback: that is not a scraper.
    proxied = Client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 404
