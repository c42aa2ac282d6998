"""Idempotency-Key on partner POSTs: replay, reuse with another body, in-flight retries."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from quartier.partners.integration.idempotency import idempotency_keys_purge
from quartier.partners.models import Case, CaseNote, IdempotencyKey
from tests.partners.partner_client import CASE, PartnerApi, PartnerSetup, partner_setup, swisstel
from tests.races import race

__all__ = ["swisstel"]


def test_a_retry_replays_the_first_response_and_creates_nothing_more(
    swisstel: PartnerSetup,
) -> None:
    first = swisstel.api.post("/cases", CASE, idempotency_key="k-1")
    again = swisstel.api.post("/cases", CASE, idempotency_key="k-1")

    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_the_same_json_reserialised_is_the_same_request(swisstel: PartnerSetup) -> None:
    swisstel.api.post("/cases", json.dumps(CASE), idempotency_key="k-1")
    again = swisstel.api.post(
        "/cases", json.dumps(CASE, indent=2, sort_keys=True), idempotency_key="k-1"
    )

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_422(swisstel: PartnerSetup) -> None:
    swisstel.api.post("/cases", CASE, idempotency_key="k-1")

    response = swisstel.api.post("/cases", CASE | {"reference": "other"}, idempotency_key="k-1")

    assert response.status_code == 422
    assert response.data["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_the_same_key_on_another_path_is_422(swisstel: PartnerSetup) -> None:
    case_id = swisstel.api.post("/cases", CASE, idempotency_key="k-1").data["id"]

    response = swisstel.api.post(f"/cases/{case_id}/notes", {"text": "hi"}, idempotency_key="k-1")

    assert response.status_code == 422
    assert response.data["code"] == "idempotency_key_reused"
    assert not CaseNote.objects.exists()


def test_a_validation_error_is_stored_and_replayed(swisstel: PartnerSetup) -> None:
    bad = CASE | {"service": "nope"}
    first = swisstel.api.post("/cases", bad, idempotency_key="k-1")
    again = swisstel.api.post("/cases", bad, idempotency_key="k-1")

    assert first.status_code == again.status_code == 422
    assert again.data == first.data
    assert again["Idempotent-Replayed"] == "true"
    assert again["Content-Type"] == "application/problem+json"
    # the key is bound to that body: a corrected body needs a new key
    fixed = swisstel.api.post("/cases", CASE, idempotency_key="k-1")
    assert fixed.data["code"] == "idempotency_key_reused"
    assert not Case.objects.exists()


def test_a_schema_error_is_stored_too(swisstel: PartnerSetup) -> None:
    first = swisstel.api.post("/cases", {"reference": "x"}, idempotency_key="k-1")
    again = swisstel.api.post("/cases", {"reference": "x"}, idempotency_key="k-1")

    assert first.status_code == 422
    assert again["Idempotent-Replayed"] == "true"


def test_keys_are_per_partner(swisstel: PartnerSetup) -> None:
    other = partner_setup("homefix")

    mine = swisstel.api.post("/cases", CASE, idempotency_key="shared-key")
    theirs = other.api.post("/cases", CASE, idempotency_key="shared-key")

    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.data["id"] != mine.data["id"]


def test_a_key_in_flight_is_409_and_a_dead_attempt_is_taken_over(swisstel: PartnerSetup) -> None:
    from quartier.partners.integration.idempotency import request_fingerprint

    body = json.dumps(CASE).encode()
    row = IdempotencyKey.objects.create(
        partner=swisstel.partner,
        key="k-1",
        method="POST",
        path="/api/v1/partner/cases",
        fingerprint=request_fingerprint("POST", "/api/v1/partner/cases", body),
    )

    busy = swisstel.api.post("/cases", body, idempotency_key="k-1")
    assert busy.status_code == 409
    assert busy.data["code"] == "idempotency_key_in_flight"
    assert not Case.objects.exists()

    IdempotencyKey.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))
    taken_over = swisstel.api.post("/cases", body, idempotency_key="k-1")
    assert taken_over.status_code == 201
    assert Case.objects.count() == 1


def test_sf_string_quotes_are_ignored_and_bad_keys_refused(swisstel: PartnerSetup) -> None:
    swisstel.api.post("/cases", CASE, idempotency_key='"abc"')
    again = swisstel.api.post("/cases", CASE, idempotency_key="abc")
    assert again["Idempotent-Replayed"] == "true"

    too_long = swisstel.api.post("/cases", CASE | {"reference": "n"}, idempotency_key="x" * 300)
    assert too_long.status_code == 400
    assert too_long.data["code"] == "invalid_idempotency_key"
    assert Case.objects.count() == 1


def test_without_a_key_each_post_is_new(swisstel: PartnerSetup) -> None:
    swisstel.api.post("/cases", CASE)
    swisstel.api.post("/cases", CASE)

    assert Case.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_purge_forgets_keys_after_the_retention(swisstel: PartnerSetup, settings: Any) -> None:
    settings.QUARTIER_PARTNER_IDEMPOTENCY_HOURS = 24
    swisstel.api.post("/cases", CASE, idempotency_key="old")
    swisstel.api.post("/cases", CASE | {"reference": "2"}, idempotency_key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    # after the purge the old key is free again: a new case
    assert swisstel.api.post("/cases", CASE, idempotency_key="old").status_code == 201
    assert Case.objects.count() == 3


def test_a_server_error_is_not_stored_so_the_retry_runs(
    swisstel: PartnerSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quartier.partners.api as partner_api

    real = partner_api.case_create

    def broken(**kwargs: Any) -> Case:
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(partner_api, "case_create", broken)
    failed = swisstel.api.post("/cases", CASE, idempotency_key="k-1")
    assert failed.status_code == 500
    assert not Case.objects.exists()  # the work was rolled back with the response
    assert not IdempotencyKey.objects.exists()

    monkeypatch.setattr(partner_api, "case_create", real)
    retried = swisstel.api.post("/cases", CASE, idempotency_key="k-1")
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert Case.objects.count() == 1


def _post_case(raw_key: str) -> tuple[int, str]:
    client = Client()
    response = client.post(
        "/api/v1/partner/cases",
        data=json.dumps(CASE),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw_key}", "Idempotency-Key": "race-1"},
    )
    return response.status_code, response.headers.get("Idempotent-Replayed", "")


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_of_one_key_create_exactly_one_case(committing_db: None) -> None:
    setup = partner_setup("swisstel")

    outcomes = race(*[lambda: _post_case(setup.raw_key)] * 4)

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    statuses = sorted(status for status, _ in outcomes)
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    fresh = [o for o in outcomes if o == (201, "")]
    assert len(fresh) == 1, outcomes  # the others were replays or told to wait
    assert Case.objects.count() == 1
    row = IdempotencyKey.objects.get()
    assert row.status_code == 201


def test_a_revoked_key_gets_no_replay(swisstel: PartnerSetup) -> None:
    """A revoked key is refused (401) before any replay: a stored answer is no way around it."""
    swisstel.api.post("/cases", CASE, idempotency_key="k-1")
    swisstel.key.revoked_at = timezone.now()
    swisstel.key.save()

    response = PartnerApi(swisstel.raw_key).post("/cases", CASE, idempotency_key="k-1")

    assert response.status_code == 401


def test_the_worker_tick_purges_expired_keys(swisstel: PartnerSetup) -> None:
    from quartier.partners.tasks import partners_tick

    swisstel.api.post("/cases", CASE, idempotency_key="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(days=2))

    partners_tick()

    assert not IdempotencyKey.objects.exists()
