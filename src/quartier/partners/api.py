"""The partner API at /api/v1/partner/: cases and programs, for a partner's own systems.

Authenticated with a partner API key, rate limited per key; every POST honours
`Idempotency-Key`. Another partner's case is a 404, like a case that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import AwareDatetime, Field

from .cases.selectors import CaseFilters, CaseView, case_get, case_list
from .cases.services import case_cancel, case_create, case_note_add
from .integration.auth import PartnerKeyAuth, current_partner, partner_view
from .programs.selectors import program_list
from .schemas import (
    CancelIn,
    CaseIn,
    CaseListOut,
    CaseOut,
    NoteIn,
    ProblemOut,
    ProgramOut,
    RegionOut,
    ServiceOut,
)

router = Router(tags=["partner"], auth=PartnerKeyAuth())

PARTNER_API_DESCRIPTION = (
    "For partners' own systems (ticketing, CRM): create and follow cases. Authenticate with "
    "a partner API key, `Authorization: Bearer qpk_...` (created by a partner admin on the "
    "partner settings page, shown once; user tokens do not work here). Limits: "
    "QUARTIER_PARTNER_RATE_LIMIT calls a minute per key (default 120; `RateLimit-*` headers; "
    "429 `rate_limited` with `Retry-After`). Every POST accepts `Idempotency-Key`. Case "
    "changes are pushed to your webhooks (Standard Webhooks), so polling is rarely needed."
)

#: Documented error answers (problem+json); handlers never return these themselves.
_READ_ERRORS: dict[int, type[ProblemOut]] = {401: ProblemOut, 404: ProblemOut, 429: ProblemOut}
_WRITE_ERRORS = _READ_ERRORS | {400: ProblemOut, 409: ProblemOut, 422: ProblemOut}
_IDEMPOTENCY = (
    "\n\nSend `Idempotency-Key: <unique string, e.g. a UUID>` to retry safely: a retry with "
    "the same key and body returns the first response again (same status and body, header "
    "`Idempotent-Replayed: true`), for at least 24 hours; the same key with another body "
    "is 422 `idempotency_key_reused`; while the first request is still running, 409 "
    "`idempotency_key_in_flight` (retry after a second)."
)


#: Documented here; `partner_view` acts on it before the handler runs.
IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        description="Any unique string (e.g. a UUID) per logical request; retries reuse it.",
        max_length=255,
    ),
]


def _case_out(request: HttpRequest, case_id: int) -> CaseView:
    partner, _ = current_partner(request)
    return case_get(partner, case_id)


class CaseListQuery(Schema):
    state: str | None = Field(default=None, description="A request state, e.g. `booked`.")
    program: str | None = Field(default=None, description="A program slug.")
    service: str | None = Field(default=None, description="A service code.")
    reference: str | None = Field(default=None, description="Your reference, exact match.")
    created_after: AwareDatetime | None = Field(default=None, description="Inclusive.")
    created_before: AwareDatetime | None = Field(default=None, description="Exclusive.")
    escalated: bool | None = Field(default=None, description="Only (not) escalated cases.")
    cursor: str | None = Field(default=None, description="`next_cursor` of the previous page.")
    limit: int = Field(default=50, ge=1, le=100)


@router.post(
    "/partner/cases",
    response={201: CaseOut, **_WRITE_ERRORS},
    summary="Create a case",
    description=(
        "Open a case: the job is offered at the service's fixed price to the helpers "
        "qualified for the program near the postcode; the SLA clock starts now and "
        "`case.created` goes to your webhooks. A service whose crowd resolution rate is "
        "below the program's triage threshold is escalated at once (reason `triage`). "
        "Invalid input is 422 with `errors` per field (`program`, `service`, `postcode`, "
        "`products.0.model`, ...), and nothing is created." + _IDEMPOTENCY
    ),
)
@decorate_view(partner_view(idempotent=True))
def create_case(
    request: HttpRequest, payload: CaseIn, idempotency_key: IdempotencyKey = None
) -> Status[CaseView]:
    partner, key = current_partner(request)
    data = payload.dict()
    case = case_create(
        partner=partner,
        program=data.pop("program"),
        service_code=data.pop("service"),
        api_key=key,
        **data,
    )
    return Status(201, _case_out(request, case.pk))


@router.get(
    "/partner/cases",
    response={200: CaseListOut, 422: ProblemOut, **_READ_ERRORS},
    summary="List cases",
)
@decorate_view(partner_view(idempotent=False))
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, object]:
    """Your cases, newest first, `limit` per page. Follow `next_cursor` until it is null;
    the cursor stays valid while new cases arrive."""
    partner, _ = current_partner(request)
    filters = CaseFilters(
        state=query.state,
        program=query.program,
        service=query.service,
        reference=query.reference,
        created_after=query.created_after,
        created_before=query.created_before,
        escalated=query.escalated,
    )
    views, next_cursor = case_list(partner, filters, query.cursor, query.limit)
    return {"items": views, "next_cursor": next_cursor}


@router.get(
    "/partner/cases/{case_id}",
    response={200: CaseOut, **_READ_ERRORS},
    summary="Get a case",
)
@decorate_view(partner_view(idempotent=False))
def get_case(request: HttpRequest, case_id: int) -> CaseView:
    """One case: state, SLA status, the booked helper (first name and rating), notes,
    escalation and products."""
    return _case_out(request, case_id)


@router.post(
    "/partner/cases/{case_id}/cancel",
    response={200: CaseOut, **_WRITE_ERRORS},
    summary="Cancel a case",
    description=(
        "Withdraw a case before the work starts (a booked helper is released); "
        "`case.cancelled` follows on your webhooks. A case in progress, finished, escalated "
        "or already cancelled is 409 `case_not_cancellable` / `illegal_state`." + _IDEMPOTENCY
    ),
)
@decorate_view(partner_view(idempotent=True))
def cancel_case(
    request: HttpRequest, case_id: int, payload: CancelIn, idempotency_key: IdempotencyKey = None
) -> CaseView:
    partner, _ = current_partner(request)
    case_cancel(partner=partner, case_id=case_id, reason=payload.reason)
    return _case_out(request, case_id)


@router.post(
    "/partner/cases/{case_id}/notes",
    response={201: CaseOut, **_WRITE_ERRORS},
    summary="Add a note to a case",
    description="Add a note (e.g. what the customer told your hotline); returns the case."
    + _IDEMPOTENCY,
)
@decorate_view(partner_view(idempotent=True))
def add_note(
    request: HttpRequest, case_id: int, payload: NoteIn, idempotency_key: IdempotencyKey = None
) -> Status[CaseView]:
    partner, _ = current_partner(request)
    case_note_add(partner=partner, case_id=case_id, text=payload.text)
    return Status(201, _case_out(request, case_id))


@router.get(
    "/partner/programs",
    response={200: list[ProgramOut], **_READ_ERRORS},
    summary="List your programs",
)
@decorate_view(partner_view(idempotent=False))
def list_programs(request: HttpRequest) -> list[ProgramOut]:
    """Your active programs: services with codes, fixed prices and durations, regions and
    SLA. Use a program's `slug` and a service's `code` to create cases."""
    partner, _ = current_partner(request)
    return [
        ProgramOut(
            slug=p.slug,
            name=p.name,
            name_de=p.name_de,
            description=p.description,
            currency=p.currency,
            sla_first_offer_minutes=p.sla_first_offer_minutes,
            sla_completion_hours=p.sla_completion_hours,
            services=[
                ServiceOut(
                    code=s.code,
                    name=s.name,
                    name_de=s.name_de,
                    description=s.description,
                    price_minor=s.fixed_price_minor,
                    currency=p.currency,
                    duration_minutes=s.duration_minutes,
                    payer=s.payer,
                    partner_share_percent=s.partner_share_percent,
                )
                for s in p.services.all()
            ],
            regions=[
                RegionOut(country=r.country, region=r.region, postcode_prefix=r.postcode_prefix)
                for r in p.regions.all()
            ],
        )
        for p in program_list(partner)
    ]
