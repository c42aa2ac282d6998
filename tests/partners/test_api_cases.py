"""The partner API contract: create, read, list, cancel and annotate cases; programs."""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import User
from quartier.jobs.models import JobRequest
from quartier.jobs.states import RequestState
from quartier.partners.models import Case, WebhookEndpoint, WebhookMessage
from tests.factories import make_helper, make_offer
from tests.partners.partner_client import CASE, PartnerApi, PartnerSetup, rival, swisstel

__all__ = ["rival", "swisstel"]  # fixtures


def test_create_case_posts_a_fixed_price_request_and_reports_the_sla(
    swisstel: PartnerSetup,
) -> None:
    response = swisstel.api.post("/cases", CASE)

    assert response.status_code == 201, response.data
    data = response.data
    assert data["reference"] == "TT-4711"
    assert data["state"] == "requested"
    assert data["program"] == "home-internet"
    assert data["service"] == "router-setup"
    assert data["price_minor"] == 8900
    assert data["currency"] == "CHF"
    assert data["locality"]
    assert data["postcode"] == "8004"
    assert data["sla_status"] == "on_track"
    assert data["helper"] is None
    assert data["escalation"] is None
    assert data["products"] == CASE["products"]
    case = Case.objects.select_related("request__customer").get(pk=data["id"])
    assert case.request.skill.slug == "internet-wlan"
    assert case.request.customer.email == "anna.muster@example.ch"
    assert not case.request.customer.has_usable_password()
    assert case.created_by_key == swisstel.key
    assert case.request.dispatch.mode == "fixed_price"
    assert case.request.dispatch.fixed_price_minor == 8900
    assert case.first_offer_due_at < case.completion_due_at


def test_create_case_emits_case_created_to_subscribed_endpoints(swisstel: PartnerSetup) -> None:
    WebhookEndpoint.objects.create(
        partner=swisstel.partner,
        url="https://crm.swisstel.example/hooks",
        secret="whsec_dGVzdA==",
        events=["case.created"],
    )
    response = swisstel.api.post("/cases", CASE)

    message = WebhookMessage.objects.get(event_type="case.created")
    assert message.partner_id == swisstel.partner.pk
    assert message.payload["data"]["case_id"] == response.data["id"]
    assert message.payload["data"]["reference"] == "TT-4711"
    assert message.deliveries.count() == 1


def test_a_second_case_for_an_existing_account_waits_for_its_owner(
    swisstel: PartnerSetup,
) -> None:
    first = swisstel.api.post("/cases", CASE)
    second = swisstel.api.post(
        "/cases", CASE | {"reference": "TT-4712", "contact_email": "ANNA.muster@example.ch"}
    )

    assert second.status_code == first.status_code == 201
    assert second.data.keys() == first.data.keys()  # the answer tells nothing about accounts
    assert User.objects.filter(email="anna.muster@example.ch").count() == 1
    assert JobRequest.objects.filter(customer__email="anna.muster@example.ch").count() == 1
    pending = Case.objects.get(pk=second.data["id"]).request
    assert pending.customer is None
    assert pending.pending_contact.email == "anna.muster@example.ch"


def _errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.data
    assert response["Content-Type"] == "application/problem+json"
    return dict(response.data["errors"])


def test_unknown_service_is_a_field_error_and_creates_nothing(swisstel: PartnerSetup) -> None:
    errors = _errors(swisstel.api.post("/cases", CASE | {"service": "tv-setup"}))

    assert list(errors) == ["service"]
    assert not Case.objects.exists()
    assert not JobRequest.objects.exists()


def test_inactive_service_is_refused(swisstel: PartnerSetup) -> None:
    swisstel.program.services.update(is_active=False)

    assert list(_errors(swisstel.api.post("/cases", CASE))) == ["service"]
    assert not Case.objects.exists()


def test_postcode_outside_the_programs_regions_is_refused(swisstel: PartnerSetup) -> None:
    swisstel.program.regions.update(region="BE")  # Bern only; 8004 is Zürich

    errors = _errors(swisstel.api.post("/cases", CASE))

    assert list(errors) == ["postcode"]
    assert not Case.objects.exists()
    assert not User.objects.filter(email=CASE["contact_email"]).exists()


def test_postcode_prefix_region_admits_matching_postcodes_only(swisstel: PartnerSetup) -> None:
    swisstel.program.regions.update(postcode_prefix="80")

    assert swisstel.api.post("/cases", CASE | {"postcode": "8004"}).status_code == 201
    assert list(_errors(swisstel.api.post("/cases", CASE | {"postcode": "3011"}))) == ["postcode"]


def test_bad_products_get_per_field_errors(swisstel: PartnerSetup) -> None:
    products = [{"kind": "router"}, {"kind": "modem", "model": "X", "diagnostics": "bad"}]

    errors = _errors(swisstel.api.post("/cases", CASE | {"products": products}))

    assert "products.0.model" in errors
    assert "products.1.diagnostics" in errors
    assert not Case.objects.exists()


def test_several_invalid_fields_are_reported_together(swisstel: PartnerSetup) -> None:
    body = CASE | {"service": "nope", "postcode": "0000", "contact_email": "not-an-address"}

    errors = _errors(swisstel.api.post("/cases", body))

    assert {"service", "postcode", "contact_email"} <= set(errors)
    assert not JobRequest.objects.exists()


def test_get_case_shows_the_booked_helper_by_first_name(swisstel: PartnerSetup) -> None:
    case_id = swisstel.api.post("/cases", CASE).data["id"]
    case = Case.objects.select_related("request__customer").get(pk=case_id)
    helper = make_helper(full_name="Hans Meier", skills=["internet-wlan"], postcode="8003")
    from quartier.bookings.services import offer_accept

    offer = make_offer(helper, case.request, price=8900)
    offer_accept(actor=case.request.customer, offer_id=offer.pk)

    data = swisstel.api.get(f"/cases/{case_id}").data

    assert data["state"] == "booked"
    assert data["helper"] == {"first_name": "Hans", "rating": None, "rating_count": 0}
    assert "Meier" not in str(data)


def test_list_cases_pages_with_a_cursor_newest_first(swisstel: PartnerSetup) -> None:
    ids = [swisstel.api.post("/cases", CASE | {"reference": f"R{i}"}).data["id"] for i in range(5)]

    first = swisstel.api.get("/cases?limit=2").data
    second = swisstel.api.get(f"/cases?limit=2&cursor={first['next_cursor']}").data
    third = swisstel.api.get(f"/cases?limit=2&cursor={second['next_cursor']}").data

    seen = [c["id"] for page in (first, second, third) for c in page["items"]]
    assert seen == list(reversed(ids))
    assert third["next_cursor"] is None


def test_list_cases_filters(swisstel: PartnerSetup) -> None:
    a = swisstel.api.post("/cases", CASE | {"reference": "A"}).data["id"]
    b = swisstel.api.post("/cases", CASE | {"reference": "B"}).data["id"]
    swisstel.api.post(f"/cases/{b}/cancel", {"reason": "fixed"})

    def ids(query: str) -> list[int]:
        response = swisstel.api.get(f"/cases?{query}")
        assert response.status_code == 200, response.data
        return [c["id"] for c in response.data["items"]]

    assert ids("reference=A") == [a]
    assert ids("state=cancelled") == [b]
    assert ids("state=requested") == [a]
    assert ids("program=home-internet&service=router-setup") == [b, a]
    assert ids("service=other") == []
    assert ids("escalated=true") == []
    assert ids("created_after=2000-01-01T00:00:00Z") == [b, a]
    assert ids("created_before=2000-01-01T00:00:00Z") == []


def test_list_cases_rejects_a_garbled_cursor(swisstel: PartnerSetup) -> None:
    response = swisstel.api.get("/cases?cursor=garbage")

    assert response.status_code == 422
    assert "cursor" in response.data["errors"]


def test_cancel_an_open_case(swisstel: PartnerSetup) -> None:
    case_id = swisstel.api.post("/cases", CASE).data["id"]

    response = swisstel.api.post(f"/cases/{case_id}/cancel", {"reason": "Fixed by phone."})

    assert response.status_code == 200, response.data
    assert response.data["state"] == "cancelled"
    event = Case.objects.get(pk=case_id).request.events.last()
    assert event is not None
    assert "Fixed by phone." in event.note


def test_cancel_a_booked_case_frees_the_helper(swisstel: PartnerSetup) -> None:
    from quartier.bookings.services import offer_accept

    case_id = swisstel.api.post("/cases", CASE).data["id"]
    request = Case.objects.get(pk=case_id).request
    helper = make_helper(skills=["internet-wlan"], postcode="8003")
    booking = offer_accept(actor=request.customer, offer_id=make_offer(helper, request).pk)

    response = swisstel.api.post(f"/cases/{case_id}/cancel", {})

    assert response.data["state"] == "cancelled"
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_a_case_in_progress_cannot_be_cancelled(swisstel: PartnerSetup) -> None:
    case_id = swisstel.api.post("/cases", CASE).data["id"]
    JobRequest.objects.filter(partner_case=case_id).update(state=RequestState.IN_PROGRESS)

    response = swisstel.api.post(f"/cases/{case_id}/cancel", {})

    assert response.status_code == 409
    assert response.data["code"] == "case_not_cancellable"
    assert JobRequest.objects.get(partner_case=case_id).state == RequestState.IN_PROGRESS


def test_add_a_note(swisstel: PartnerSetup) -> None:
    case_id = swisstel.api.post("/cases", CASE).data["id"]

    response = swisstel.api.post(f"/cases/{case_id}/notes", {"text": "Customer prefers mornings."})

    assert response.status_code == 201
    assert response.data["notes"][0]["text"] == "Customer prefers mornings."
    assert response.data["notes"][0]["author_kind"] == "partner"


def test_blank_note_is_refused(swisstel: PartnerSetup) -> None:
    case_id = swisstel.api.post("/cases", CASE).data["id"]

    response = swisstel.api.post(f"/cases/{case_id}/notes", {"text": "   "})

    assert response.status_code == 422
    assert Case.objects.get(pk=case_id).notes.count() == 0


def test_programs_list_services_prices_regions_and_sla(swisstel: PartnerSetup) -> None:
    data = swisstel.api.get("/programs").data

    assert [p["slug"] for p in data] == ["home-internet"]
    program = data[0]
    assert program["services"][0]["code"] == "router-setup"
    assert program["services"][0]["price_minor"] == 8900
    assert program["regions"] == [{"country": "CH", "region": "", "postcode_prefix": ""}]
    assert program["sla_first_offer_minutes"] == 240


def test_openapi_documents_the_partner_paths_and_key_auth(client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    for path in (
        "/api/v1/partner/cases",
        "/api/v1/partner/cases/{case_id}",
        "/api/v1/partner/cases/{case_id}/cancel",
        "/api/v1/partner/cases/{case_id}/notes",
        "/api/v1/partner/programs",
    ):
        assert path in schema["paths"], path
    create = schema["paths"]["/api/v1/partner/cases"]["post"]
    assert "Idempotency-Key" in create["description"]
    assert {"201", "401", "422", "429"} <= set(create["responses"])
    assert "PartnerKeyAuth" in schema["components"]["securitySchemes"]
    assert any(t["name"] == "partner" for t in schema.get("tags", []))


def test_without_a_key_every_partner_endpoint_is_401(db: None) -> None:
    anon = PartnerApi(None)
    wrong = PartnerApi("qpk_wrong")
    for api in (anon, wrong):
        for method, path in (
            ("get", "/cases"),
            ("post", "/cases"),
            ("get", "/cases/1"),
            ("post", "/cases/1/cancel"),
            ("post", "/cases/1/notes"),
            ("get", "/programs"),
        ):
            response = api.call(method, path, CASE if method == "post" else None)
            assert response.status_code == 401, (method, path)
            assert response.data["code"] == "invalid_api_key"
            assert response["Content-Type"] == "application/problem+json"
    assert not Case.objects.exists()
