"""Reads for helpers (programs near them, partner case details) and for partner dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from quartier.accounts.models import User
from quartier.errors import NotFound

from ..models import Case, Partner, Program, ProgramService, Qualification
from ..states import QualificationState
from .services import Eligibility, program_serves_helper, qualification_eligibility


@dataclass(frozen=True)
class ProgramForHelper:
    program: Program
    services: list[ProgramService]
    eligibility: Eligibility
    qualification: Qualification | None

    @property
    def state(self) -> str | None:
        return self.qualification.state if self.qualification else None

    @property
    def may_apply(self) -> bool:
        # Not offered while suspended: waiting is better, a recovered score reinstates the
        # helper automatically, while applying again would need a new approval.
        return self.state in (None, QualificationState.REVOKED)


def _active_programs() -> QuerySet[Program]:
    return (
        Program.objects.filter(is_active=True, partner__is_active=True)
        .select_related("partner")
        .prefetch_related("regions", "lessons")
    )


def program_list_for_helper(helper: User) -> list[ProgramForHelper]:
    """Active programs in a region the helper serves, with their eligibility and standing."""
    mine = {q.program_id: q for q in Qualification.objects.filter(helper=helper)}
    out = []
    for program in _active_programs():
        if not program_serves_helper(program, helper):
            continue
        out.append(_for_helper(program, helper, mine.get(program.pk)))
    return out


def _for_helper(program: Program, helper: User, qual: Qualification | None) -> ProgramForHelper:
    return ProgramForHelper(
        program=program,
        services=list(program.services.filter(is_active=True).select_related("skill")),
        eligibility=qualification_eligibility(helper, program),
        qualification=qual,
    )


def get_program_for_helper(helper: User, program_id: int) -> ProgramForHelper:
    program = _active_programs().filter(pk=program_id).first()
    if program is None or not program_serves_helper(program, helper):
        raise NotFound("No such program near you.")
    qual = Qualification.objects.filter(program=program, helper=helper).first()
    return _for_helper(program, helper, qual)


def qualification_list_for_partner(
    partner: Partner, *, state: str | None = None, program_id: int | None = None
) -> QuerySet[Qualification]:
    """The partner's qualifications, newest change first (check access with partners.access)."""
    rows = Qualification.objects.filter(program__partner=partner).select_related(
        "program", "helper", "decided_by"
    )
    if state:
        rows = rows.filter(state=state)
    if program_id:
        rows = rows.filter(program_id=program_id)
    return rows


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
        program_name=case.program.name,
        partner_name=case.partner.name,
        service_name=case.service.name,
        service_description=case.service.description,
        products=[p for p in case.products if isinstance(p, dict)],
        may_escalate=booked
        and case.escalated_at is None
        and case.request.state in ("booked", "in_progress"),
    )
