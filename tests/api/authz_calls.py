"""How the matrix calls an operation: the OpenAPI document's operations, the world's object
for each path parameter, and a minimal valid body, so that an allowed actor is refused by
nothing but authorization (or a business rule)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quartier.api import api
from quartier.bookings.counters import counter_make
from quartier.catalog.models import HelperSkill, Skill
from quartier.catalog.services import helper_skill_prices_set
from quartier.dispatch.direct import invitation_direct_create
from quartier.jobs.models import JobRequest
from quartier.privacy.models import AccountDeletion
from tests.api.authz_households import HOUSEHOLD_BODIES, HOUSEHOLD_OVERRIDES
from tests.api.authz_world import CLOSED_PORT_URL, PASSWORD, Multipart, World

PREFIX = "/api/v1"


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str  # under /api/v1, with {placeholders}

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations() -> dict[str, Operation]:
    """Every operation of the OpenAPI document, by operationId."""
    found: dict[str, Operation] = {}
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, spec in methods.items():
            found[spec["operationId"]] = Operation(
                spec["operationId"], method, path.removeprefix(PREFIX)
            )
    return found


#: Where an operation needs another object than the parameter's usual one.
PARAMETER_OVERRIDES: dict[str, dict[str, str]] = {
    # The shared conversation is a request for several helpers' (prepared).
    "quartier_messaging_api_team_thread": {"request_id": "multi_request_id"},
    "quartier_messaging_api_team_send": {"request_id": "multi_request_id"},
    # Only a completed booking takes reviews.
    "quartier_reviews_api_create_review": {"booking_id": "completed_booking_id"},
    # The helper offered on the usual request already: a new offer goes to another one.
    "quartier_bookings_api_make_offer": {"request_id": "unanswered_request_id"},
    # Only a completed (settled) job has an invoice.
    "quartier_invoicing_api_booking_invoices": {"booking_id": "completed_booking_id"},
    # Work is completed once started.
    "quartier_bookings_api_complete": {"booking_id": "started_booking_id"},
    "quartier_bookings_api_check_out": {"booking_id": "started_booking_id"},
    # Check-in opens 30 minutes ahead: the checked-in booking (409 for the helper).
    "quartier_bookings_api_start": {"booking_id": "started_booking_id"},
    "quartier_bookings_api_check_in": {"booking_id": "started_booking_id"},
    # Sign-off once the helper checked out.
    "quartier_bookings_api_sign_off": {"booking_id": "checked_out_booking_id"},
    # Choosing a helper: on the request the helper has not answered yet.
    "quartier_api_direct_invite_helper": {"request_id": "unanswered_request_id"},
    "quartier_api_direct_invited_helpers": {"request_id": "unanswered_request_id"},
    "quartier_api_direct_book_helper_now": {"request_id": "unanswered_request_id"},
    "quartier_api_direct_answer_with_offer": {"invitation_id": "direct_invitation_id"},
    "quartier_api_direct_book_helper_again": {"booking_id": "completed_booking_id"},
    # Changes during the visit: on the checked-in booking.
    "quartier_bookings_api_list_changes": {"booking_id": "started_booking_id"},
    "quartier_bookings_api_propose_change": {"booking_id": "started_booking_id"},
    "quartier_bookings_api_approve_change": {"booking_id": "started_booking_id"},
    "quartier_bookings_api_reject_change": {"booking_id": "started_booking_id"},
    # Only a proposed series is agreed to or declined.
    "quartier_series_api_accept_series": {"series_id": "proposed_series_id"},
    "quartier_series_api_decline_series": {"series_id": "proposed_series_id"},
    **HOUSEHOLD_OVERRIDES,
}

#: Required query parameters.
QUERIES: dict[str, str] = {
    "quartier_geo_api_postcodes": "?q=8004",
    "quartier_payments_api_get_statement": "?year=2026",
    "quartier_payments_payout_api_list_statements": "?month=2026-11",
    "quartier_payments_api_get_statement_pdf": "?year=2026",
    "quartier_payments_payout_api_statement_file": "?month=2026-11",
}


def url_for(world: World, operation: Operation) -> str:
    overrides = PARAMETER_OVERRIDES.get(operation.operation_id, {})

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "skill":  # a slug, not an id: the skill every helper offers (prepared)
            return "tv-set-top-box"
        return str(world.ids[overrides.get(name, name)])

    path = re.sub(r"\{(\w+)\}", fill, operation.path)
    return path + QUERIES.get(operation.operation_id, "")


def _deletions_scheduled(world: World) -> None:
    """Every user asked for their account's deletion (so each has one to take back)."""
    now = timezone.now()
    for user in world.users.values():
        AccountDeletion.objects.create(user=user, requested_at=now, due_at=now + timedelta(30))


def _direct_invitation(world: World) -> None:
    """The owner invited the helper they chose to the unanswered request."""
    invitation = invitation_direct_create(
        actor=world.users["owner"],
        request_id=world.ids["unanswered_request_id"],
        helper_id=world.ids["helper_id"],
    )
    world.ids["direct_invitation_id"] = invitation.pk


def _fixed_price(world: World) -> None:
    """The helper has a fixed price for the world's requests' skill (Book now)."""
    helper_skill_prices_set(
        actor=world.users["helper"],
        skill="tv-set-top-box",
        hourly_rate_minor=None,
        fixed_price_minor=8900,
    )


def _tv_skill_for_all(world: World) -> None:
    """Every helper offers the skill whose prices are set (far from the owner's requests)."""
    for name in ("other_helper", "pro"):
        HelperSkill.objects.get_or_create(
            helper=world.users[name],
            skill=Skill.objects.get(slug="tv-set-top-box"),
            defaults={"level": "basic"},
        )


def _move_for_two(world: World) -> None:
    """The owner's request for two helpers, on which the helper holds one place."""
    from quartier.bookings.services import offer_accept
    from tests.factories import make_offer, make_request

    move = make_request(world.users["owner"], helpers_needed=2, days=9)
    offer = make_offer(world.users["helper"], move)
    offer_accept(actor=world.users["owner"], offer_id=offer.pk)
    world.ids["multi_request_id"] = move.pk


def _countered(world: World) -> None:
    """The owner countered the helper's offer on the usual request (a lower price)."""
    counter = counter_make(
        actor=world.users["owner"], offer_id=world.ids["offer_id"], price_minor=7000
    )
    world.ids["counter_id"] = counter.pk


#: What to change in the world before an operation is called (in the test's savepoint).
PREPARATIONS: dict[str, Callable[[World], None]] = {
    "quartier_messaging_api_team_thread": _move_for_two,
    "quartier_messaging_api_team_send": _move_for_two,
    "quartier_bookings_counter_api_list_counters": _countered,
    "quartier_bookings_counter_api_accept_counter": _countered,
    "quartier_bookings_counter_api_withdraw_counter": _countered,
    "quartier_privacy_api_cancel_deletion": _deletions_scheduled,
    "quartier_api_direct_answer_with_offer": _direct_invitation,
    "quartier_api_direct_book_helper_now": _fixed_price,
    "quartier_accounts_api_put_skill_prices": _tv_skill_for_all,
}


def prepare(world: World, operation: Operation) -> None:
    if (preparation := PREPARATIONS.get(operation.operation_id)) is not None:
        preparation(world)


def _offer_body(world: World) -> dict[str, Any]:
    job = JobRequest.objects.get(pk=world.ids["unanswered_request_id"])
    start = job.window_start + timedelta(hours=1)
    return {
        "price_minor": 9500,
        "proposed_start": start.isoformat(),
        "proposed_end": (start + timedelta(hours=2)).isoformat(),
    }


def _request_body() -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    return {
        "skill": "tv-set-top-box",
        "title": "The remote does not pair",
        "country": "CH",
        "postcode": "8008",
        "street_address": "Seefeldstrasse 5",
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=8)).isoformat(),
    }


def _absence_body() -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=2)).isoformat()}


CASE = {
    "program": "home-internet",
    "service": "router-setup",
    "reference": "T-2002",
    "contact_name": "Paul Kunde",
    "contact_email": "paul@customers.example",
    "country": "CH",
    "postcode": "8004",
    "street_address": "Badenerstrasse 3",
}

#: Fixed bodies by operationId.
BODIES: dict[str, Any] = {
    "quartier_bookings_counter_api_counter_offer": {"price_minor": 7000},
    "quartier_invoicing_api_invoice_pursuit": {"pursuit": "stopped"},
    "quartier_bookings_api_propose_change": {
        "kind": "material",
        "label": "Wall bracket",
        "unit_minor": 2900,
    },
    "quartier_accounts_api_register": {
        "email": "new@example.com",
        "password": PASSWORD,
        "full_name": "Neo Neu",
    },
    "quartier_accounts_api_log_in": {"email": "owner@example.com", "password": PASSWORD},
    "quartier_accounts_api_suspension_appeal": {"text": "It was a mix-up."},
    "quartier_accounts_api_update_me": {"phone": "+41 79 000 00 00"},
    "quartier_accounts_api_change_password": {
        "current_password": PASSWORD,
        "new_password": "another horse battery staple",
    },
    "quartier_accounts_api_change_email": {
        "new_email": "new-address@example.com",
        "password": PASSWORD,
    },
    "quartier_accounts_api_add_role": {"role": "helper"},
    "quartier_accounts_api_put_photo": Multipart(field="photo"),
    "quartier_accounts_api_put_helper_profile": {
        "country": "CH",
        "postcode": "8003",
        "service_radius_km": 10,
        "hourly_rate_minor": 4500,
        "accept_contractor_terms": True,
    },
    "quartier_accounts_api_put_skill_prices": {"hourly_rate_minor": 5200},
    "quartier_accounts_api_put_skills": {
        "skills": [{"skill": "tv-set-top-box", "level": "expert"}]
    },
    "quartier_accounts_api_put_pro_profile": {
        "company_name": "Putz & Glanz GmbH",
        "uid": "CHE-123.456.789",
    },
    "quartier_jobs_api_cancel": {"reason": "Fixed it myself."},
    "quartier_jobs_api_change": {"title": "TV box and soundbar", "budget_minor": 15000},
    "quartier_bookings_api_on_my_way": {"eta_minutes": 20},
    "quartier_bookings_api_cancel": {"reason": "Plans changed."},
    "quartier_series_api_end_series": {"reason": "Moving away."},
    "quartier_bookings_api_change_payment": {"tip_minor": 500},
    "quartier_bookings_availability_api_set_weekly_slots": {
        "slots": [{"weekday": 0, "start": "08:00", "end": "12:00"}]
    },
    "quartier_reviews_api_create_review": {"rating": 5, "text": "Friendly and quick."},
    "quartier_reviews_api_reply": {"text": "Thank you!"},
    "quartier_reviews_api_report": {"reason": "Not what happened."},
    "quartier_dispatch_api_accept": {},
    "quartier_messaging_api_send": {"body": "Does Tuesday suit you?"},
    "quartier_messaging_api_team_send": {"body": "The piano goes first."},
    "quartier_messaging_api_report": {"reason": "Rude."},
    "quartier_privacy_api_request_deletion": {"password": PASSWORD},
    "quartier_payments_payout_api_put_payout_profile": {
        "provider_kind": "private",
        "legal_name": "Hans Meier",
    },
    "quartier_compliance_api_put_tax_reporting": {
        "residence_countries": ["DE"],
        "tins": [{"tin": "86095742719", "country": "DE"}],
        "date_of_birth": "1980-05-01",
    },
    "quartier_partners_api_create_case": CASE,
    "quartier_partners_api_cancel_case": {"reason": "Fixed by phone."},
    "quartier_partners_api_add_note": {"text": "Customer prefers mornings."},
    "quartier_partners_integration_api_create_endpoint": {
        "url": CLOSED_PORT_URL,
        "events": ["case.created"],
    },
    **HOUSEHOLD_BODIES,
}


def _reschedule_body(world: World) -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    return {"action": "propose", "starts_at": start.isoformat()}


def _document() -> SimpleUploadedFile:
    return SimpleUploadedFile("id.pdf", b"%PDF-1.4\n% an identity card\n", "application/pdf")


#: Multipart bodies (vetting documents), made afresh for each call.
MULTIPART: dict[str, Multipart] = {
    "quartier_vetting_api_submit_check": Multipart(
        make=lambda: {
            "kind": "identity",
            "expires_on": (timezone.localdate() + timedelta(days=700)).isoformat(),
            "files": [_document()],
        }
    ),
    "quartier_vetting_api_answer_check": Multipart(
        make=lambda: {"answer": "Here is a sharper photo.", "files": [_document()]}
    ),
}


def _later_window() -> dict[str, str]:
    start = (timezone.now() + timedelta(days=16)).replace(minute=0, second=0, microsecond=0)
    return {
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=8)).isoformat(),
    }


def _book_now_body(world: World) -> dict[str, Any]:
    job = JobRequest.objects.get(pk=world.ids["unanswered_request_id"])
    start = job.window_start + timedelta(hours=2)
    return {"helper_id": world.ids["helper_id"], "starts_at": start.isoformat()}


def _series_body(world: World) -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    return {"booking_id": world.ids["booking_id"], "frequency": "weekly", "first_start": start}


def _move_body(world: World) -> dict[str, Any]:
    start = (timezone.now() + timedelta(days=27)).replace(minute=0, second=0, microsecond=0)
    return {"starts_at": start.isoformat()}


def _offer_change_body(world: World) -> dict[str, Any]:
    job = JobRequest.objects.get(pk=world.ids["request_id"])
    start = job.window_start + timedelta(hours=2)
    return {
        "price_minor": 8500,
        "proposed_start": start.isoformat(),
        "proposed_end": (start + timedelta(hours=2)).isoformat(),
    }


def body_for(world: World, operation: Operation) -> Any:
    """The body to send, or None for operations without one."""
    if operation.operation_id in MULTIPART:
        return MULTIPART[operation.operation_id]
    if operation.operation_id == "quartier_series_api_create_series":
        return _series_body(world)
    if operation.operation_id == "quartier_series_api_move_occurrence":
        return _move_body(world)
    if operation.operation_id == "quartier_jobs_api_add_photos":
        return Multipart()
    if operation.operation_id == "quartier_bookings_api_change_offer":
        return _offer_change_body(world)
    if operation.operation_id == "quartier_api_direct_invite_helper":
        return {"helper_id": world.ids["helper_id"]}
    if operation.operation_id == "quartier_api_direct_book_helper_now":
        return _book_now_body(world)
    if operation.operation_id == "quartier_api_direct_book_helper_again":
        return _later_window()
    if operation.operation_id == "quartier_bookings_api_reschedule":
        return _reschedule_body(world)
    if operation.operation_id == "quartier_bookings_api_make_offer":
        return _offer_body(world)
    if operation.operation_id == "quartier_jobs_api_create":
        return _request_body()
    if operation.operation_id == "quartier_bookings_availability_api_add_exception":
        return _absence_body()
    if operation.operation_id in BODIES:
        return BODIES[operation.operation_id]
    return {} if operation.method == "post" else None


def operations_with_a_body() -> set[str]:
    schema = api.get_openapi_schema()["paths"]
    return {
        spec["operationId"]
        for methods in schema.values()
        for spec in methods.values()
        if "requestBody" in spec
    }
