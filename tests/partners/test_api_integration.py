"""The partner API's webhook endpoints, delivery log and report, as a partner's system sets
itself up; another partner's endpoint or delivery is a plain 404."""

from __future__ import annotations

from quartier.partners.models import WebhookEndpoint
from tests.partners.partner_client import CASE, PartnerSetup, rival, swisstel

__all__ = ["rival", "swisstel"]

HOOK = {"url": "https://hooks.example.ch/quartier", "events": ["case.created", "case.booked"]}


def test_register_list_and_delete_an_endpoint(swisstel: PartnerSetup) -> None:
    created = swisstel.api.post("/webhooks", HOOK, idempotency_key="hook-1")
    assert created.status_code == 201
    assert created.data["secret"].startswith("whsec_")
    again = swisstel.api.post("/webhooks", HOOK, idempotency_key="hook-1")
    assert again.data == created.data  # a retried registration does not add a second one
    listed = swisstel.api.get("/webhooks").data
    assert [(e["url"], e["events"]) for e in listed] == [(HOOK["url"], HOOK["events"])]
    assert "secret" not in listed[0]
    deleted = swisstel.api.call("delete", f"/webhooks/{created.data['id']}")
    assert deleted.status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_bad_endpoints_are_refused_with_field_errors(swisstel: PartnerSetup) -> None:
    plain = swisstel.api.post("/webhooks", HOOK | {"url": "http://hooks.example.ch/x"})
    assert plain.status_code == 422
    private = swisstel.api.post("/webhooks", HOOK | {"url": "https://10.0.0.7/hook"})
    assert private.status_code == 422
    unknown = swisstel.api.post("/webhooks", HOOK | {"events": ["case.exploded"]})
    assert unknown.status_code == 422
    assert "events" in unknown.data["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_shows_a_case_event(swisstel: PartnerSetup) -> None:
    endpoint = swisstel.api.post("/webhooks", HOOK).data
    assert swisstel.api.post("/cases", CASE).status_code == 201
    log = swisstel.api.get(f"/webhooks/{endpoint['id']}/deliveries").data
    assert [d["event_type"] for d in log] == ["case.created"]


def test_the_report_counts_the_partners_cases(swisstel: PartnerSetup, rival: PartnerSetup) -> None:
    swisstel.api.post("/cases", CASE)
    swisstel.api.post("/cases", CASE | {"reference": "TT-2"})
    rival.api.post("/cases", CASE)
    rows = swisstel.api.get("/reports?period=month").data["rows"]
    assert sum(row["cases"] for row in rows) == 2
    assert {row["program"] for row in rows} == {"home-internet"}
    assert swisstel.api.get("/reports?period=year").status_code == 422


def test_another_partners_endpoint_and_deliveries_are_404(
    swisstel: PartnerSetup, rival: PartnerSetup
) -> None:
    theirs = rival.api.post("/webhooks", HOOK).data
    rival.api.post("/cases", CASE)
    delivery = rival.api.get(f"/webhooks/{theirs['id']}/deliveries").data[0]
    assert swisstel.api.get(f"/webhooks/{theirs['id']}/deliveries").status_code == 404
    assert swisstel.api.call("delete", f"/webhooks/{theirs['id']}").status_code == 404
    assert swisstel.api.post(f"/webhooks/deliveries/{delivery['id']}/redeliver").status_code == 404
    assert swisstel.api.get("/webhooks").data == []
    assert WebhookEndpoint.objects.filter(pk=theirs["id"]).exists()
