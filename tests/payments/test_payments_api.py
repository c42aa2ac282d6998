"""The payments API: a helper's payout profile (GET/PUT /me/payout-profile) and a partner's
statements (GET /partner/statements), with who may call which (every role x operation)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from quartier.partners.integration.keys import api_key_create_unchecked
from quartier.payments.models import PayoutProfile
from tests.api_checks import assert_problem
from tests.conftest import Api
from tests.factories import UserFactory, make_customer
from tests.partners.factories import make_partner
from tests.payments.money_fixtures import CH_PROFILE, helper, partner_share

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")


def partner_get(raw_key: str | None, path: str):
    headers = {"Authorization": f"Bearer {raw_key}"} if raw_key else {}
    response = Client().get(f"/api/v1{path}", headers=headers)
    response.data = response.json() if response.content else None
    return response


def test_a_helper_reads_gaps_then_saves_a_complete_profile():
    anna = helper()
    api = Api(anna)
    empty = api.get("/me/payout-profile")
    assert empty.status_code == 200
    assert empty.data["gaps"] == ["legal_name", "address", "iban", "vat_status", "mandate"]
    assert empty.data["mandate_current_version"]
    assert empty.data["mandate_text"]

    saved = api.put("/me/payout-profile", CH_PROFILE)
    assert saved.status_code == 200, saved.data
    assert saved.data["iban"] == "CH5604835012345678009"
    assert saved.data["gaps"] == []
    assert saved.data["payout_ready"] is True
    assert api.get("/me/payout-profile").data["mandate_version"] == saved.data["mandate_version"]


def test_a_wrong_iban_is_a_problem_naming_the_field_and_saves_nothing():
    anna = helper()
    answer = Api(anna).put(
        "/me/payout-profile", {**CH_PROFILE, "iban": "CH00 0000 0000 0000 0000 0"}
    )
    assert_problem(answer, 422, code="payout_profile_invalid", field="iban")
    assert not PayoutProfile.objects.filter(user=anna).exists()


def test_a_partner_reads_its_month_by_booking_and_never_another_partners():
    mine, other = make_partner(), make_partner(slug="rival")
    _, raw = api_key_create_unchecked(partner=mine, name="ERP")
    anna = helper()
    in_march = datetime(2026, 3, 10, 12, tzinfo=ZURICH)
    partner_share(
        partner_id=mine.pk,
        helper_id=anna.pk,
        booking_id=11,
        price=12000,
        commission=1800,
        at=in_march,
    )
    partner_share(
        partner_id=other.pk,
        helper_id=anna.pk,
        booking_id=12,
        price=5000,
        commission=750,
        at=in_march,
    )
    partner_share(
        partner_id=mine.pk,
        helper_id=anna.pk,
        booking_id=13,
        price=3000,
        commission=450,
        at=datetime(2026, 4, 1, 0, 30, tzinfo=ZURICH),
    )

    answer = partner_get(raw, "/partner/statements?month=2026-03")

    assert answer.status_code == 200, answer.data
    [chf] = answer.data
    assert chf["currency"] == "CHF"
    assert chf["pays"] == "quartier"
    assert [(line["booking_id"], line["amount_minor"]) for line in chf["lines"]] == [(11, 12000)]
    assert chf["total_minor"] == 12000
    assert chf["open_minor"] == 12000
    assert partner_get(raw, "/partner/statements?month=2026-02").data == []


@pytest.mark.parametrize("month", ["2026-13", "March", ""])
def test_a_bad_month_is_refused(month):
    _, raw = api_key_create_unchecked(partner=make_partner(), name="ERP")
    answer = partner_get(raw, f"/partner/statements?month={month}")
    assert answer.status_code == 422


# Who may call what: every operation of this module x every role (status expected).
MATRIX = {
    ("GET", "/me/payout-profile"): {
        "anonymous": 401, "customer": 403, "helper": 200, "operator": 403, "partner_key": 401,
    },
    ("PUT", "/me/payout-profile"): {
        "anonymous": 401, "customer": 403, "helper": 200, "operator": 403, "partner_key": 401,
    },
    ("GET", "/partner/statements?month=2026-03"): {
        "anonymous": 401, "customer": 401, "helper": 401, "operator": 401, "partner_key": 200,
    },
    ("GET", "/partner/statements/file?month=2026-03&format=csv"): {
        "anonymous": 401, "customer": 401, "helper": 401, "operator": 401, "partner_key": 200,
    },
}  # fmt: skip


def test_the_matrix_covers_every_payments_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    ours = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "payout_api" in operation["operationId"]
    }
    assert ours == {(m, "/api/v1" + p.split("?")[0]) for m, p in MATRIX}


@pytest.mark.parametrize(("operation", "role"), [(op, r) for op in MATRIX for r in MATRIX[op]])
def test_authorization_matrix(operation, role):
    method, path = operation
    partner = make_partner()
    _, raw = api_key_create_unchecked(partner=partner, name="ERP")
    users = {
        "customer": make_customer(),
        "helper": helper(),
        "operator": UserFactory(is_staff=True, is_customer=False),
    }
    if role == "partner_key":
        response = Client().generic(
            method,
            f"/api/v1{path}",
            headers={"Authorization": f"Bearer {raw}"},
            data="{}",
            content_type="application/json",
        )
    else:
        api = Api(users.get(role))
        response = api.get(path) if method == "GET" else api.put(path, CH_PROFILE)
    assert response.status_code == MATRIX[operation][role]
