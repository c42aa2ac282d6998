"""Reads of partner cases: the representation the API shows, keyset-paginated lists, and what
a helper sees of a partner case."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from quartier.accounts.models import User
from quartier.errors import NotFound, field_error
from quartier.jobs.states import RequestState
from quartier.reviews.selectors import skill_scores_for

from ..models import Case, Partner, Qualification
from ..states import EscalationReason, QualificationState
from .sla import SlaStatus, case_completed_at, sla_status

MAX_PAGE = 100


@dataclass(frozen=True)
class HelperView:
    first_name: str
    rating: float | None
    rating_count: int


@dataclass(frozen=True)
class EscalationView:
    at: datetime
    reason: str
    reason_label: str


@dataclass(frozen=True)
class NoteView:
    author_kind: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class CaseView:
    id: int
    reference: str
    state: str
    program: str
    service: str
    service_name: str
    price_minor: int
    currency: str
    country: str
    postcode: str
    locality: str
    contact_name: str
    contact_email: str
    products: list[dict[str, Any]]
    created_at: datetime
    first_offer_due_at: datetime
    completion_due_at: datetime
    first_offer_at: datetime | None
    completed_at: datetime | None
    sla_status: SlaStatus
    helper: HelperView | None
    escalation: EscalationView | None
    notes: list[NoteView] = field(default_factory=list)


def _helper(case: Case) -> HelperView | None:
    helper = case.request.booked_helper
    if helper is None:
        return None
    score = skill_scores_for(helper_ids=[helper.pk], skill_id=case.service.skill_id)[helper.pk]
    return HelperView(
        first_name=helper.first_name,
        rating=round(score.average, 1) if score.count else None,
        rating_count=score.count,
    )


def case_view(case: Case, *, now: datetime | None = None) -> CaseView:
    request = case.request
    escalation = None
    if case.escalated_at is not None:
        reason = EscalationReason(case.escalation_reason)
        escalation = EscalationView(at=case.escalated_at, reason=reason, reason_label=reason.label)
    return CaseView(
        id=case.pk,
        reference=case.reference,
        state=request.state,
        program=case.program.slug,
        service=case.service.code,
        service_name=case.service.label,
        price_minor=case.service.fixed_price_minor,
        currency=case.program.currency,
        country=request.country,
        postcode=request.postcode,
        locality=request.locality,
        contact_name=case.contact_name,
        contact_email=case.contact_email,
        products=list(case.products or []),
        created_at=case.created_at,
        first_offer_due_at=case.first_offer_due_at,
        completion_due_at=case.completion_due_at,
        first_offer_at=case.first_offer_at,
        completed_at=case_completed_at(case),
        sla_status=sla_status(case, now=now),
        helper=_helper(case),
        escalation=escalation,
        notes=[NoteView(n.author_kind, n.text, n.created_at) for n in case.notes.all()],
    )


def case_webhook_data(case: Case) -> dict[str, Any]:
    """The `data` of a case event: enough to act on without calling back."""
    return {
        "case_id": case.pk,
        "reference": case.reference,
        "program": case.program.slug,
        "service": case.service.code,
        "state": case.request.state,
        "first_offer_due_at": case.first_offer_due_at.isoformat(),
        "completion_due_at": case.completion_due_at.isoformat(),
    }


@dataclass(frozen=True)
class CaseFilters:
    state: str | None = None
    program: str | None = None
    service: str | None = None
    reference: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    escalated: bool | None = None


def _cases(partner: Partner) -> QuerySet[Case]:
    return (
        Case.objects.filter(partner=partner)
        .select_related("program", "service", "request__booked_helper")
        .prefetch_related("notes", "request__bookings")
        .order_by("-created_at", "-id")
    )


def case_get(partner: Partner, case_id: int) -> CaseView:
    """One of the partner's cases, else NotFound (another partner's id included)."""
    case = _cases(partner).filter(pk=case_id).first()  # scoped: 404 outside the partner
    if case is None:
        raise NotFound("No such case.")
    return case_view(case)


def cursor_encode(case: Case) -> str:
    raw = json.dumps([case.created_at.isoformat(), case.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, pk = json.loads(raw)
        moment = parse_datetime(created)
        if moment is None or not isinstance(pk, int):
            raise ValueError(cursor)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise field_error("cursor", "This cursor is not valid; start again without it.") from None
    return moment, pk


def case_list(
    partner: Partner, filters: CaseFilters, cursor: str | None = None, limit: int = 50
) -> tuple[list[CaseView], str | None]:
    """The partner's cases newest first, `limit` at a time; the cursor continues a listing
    even while new cases arrive (keyset on created_at, id)."""
    if not 1 <= limit <= MAX_PAGE:
        raise field_error("limit", f"The limit must be between 1 and {MAX_PAGE}.")
    cases = _cases(partner)
    if filters.state:
        if filters.state not in RequestState.values:
            raise field_error("state", f"Unknown state; one of {', '.join(RequestState.values)}.")
        cases = cases.filter(request__state=filters.state)
    if filters.program:
        cases = cases.filter(program__slug=filters.program)
    if filters.service:
        cases = cases.filter(service__code=filters.service)
    if filters.reference:
        cases = cases.filter(reference=filters.reference)
    if filters.created_after:
        cases = cases.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        cases = cases.filter(created_at__lt=filters.created_before)
    if filters.escalated is not None:
        cases = cases.filter(escalated_at__isnull=not filters.escalated)
    if cursor:
        created, pk = cursor_decode(cursor)
        cases = cases.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    page = list(cases[: limit + 1])
    next_cursor = cursor_encode(page[limit - 1]) if len(page) > limit else None
    now = timezone.now()
    return [case_view(c, now=now) for c in page[:limit]], next_cursor


@dataclass(frozen=True)
class CaseDetails:
    """What a helper sees of a partner case to arrive prepared (no partner-internal data)."""

    case_id: int
    program_name: str
    partner_name: str
    service_name: str
    service_description: str
    products: list[dict[str, Any]]
    may_escalate: bool


def case_details_for_helper(*, helper: User, request_id: int) -> CaseDetails | None:
    """For the booked helper or one qualified for the program; None for public requests."""
    case = (
        Case.objects.select_related("program", "partner", "service", "request")
        .filter(request_id=request_id)
        .first()
    )
    if case is None:
        return None
    booked = case.request.booked_helper_id == helper.pk
    qualified = Qualification.objects.filter(
        program_id=case.program_id, helper=helper, state=QualificationState.QUALIFIED
    ).exists()
    if not (booked or qualified):
        return None
    return CaseDetails(
        case_id=case.pk,
        program_name=case.program.label,
        partner_name=case.partner.name,
        service_name=case.service.label,
        service_description=case.service.description,
        products=[p for p in case.products if isinstance(p, dict)],
        may_escalate=booked
        and case.escalated_at is None
        and case.request.state in ("booked", "in_progress"),
    )
