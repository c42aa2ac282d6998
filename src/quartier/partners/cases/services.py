"""Writes for partner cases: create (validate, find the customer, post the request), cancel,
and notes.

A case is a `jobs.JobRequest` dispatched in fixed-price mode to the program's qualified helpers,
plus what only the partner knows (reference, products, SLA). State changes after creation
reach the partner's webhooks through the lifecycle receiver (`case.cancelled` included).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.services import booking_cancel_for_customer
from quartier.dispatch.posting import request_post
from quartier.dispatch.states import DeadlineAction, DispatchMode
from quartier.dispatch.terms import DispatchTerms
from quartier.errors import Conflict, InvalidInput, field_error
from quartier.geo.geocoding import CURRENCY_BY_COUNTRY, Location, locate_postcode
from quartier.jobs.services import request_cancel_for_customer
from quartier.jobs.states import OPEN_FOR_OFFERS, RequestState

from ..access import get_case_for_partner
from ..models import (
    Case,
    CaseNote,
    Partner,
    PartnerApiKey,
    Program,
    ProgramService,
)
from ..programs.selectors import region_covers
from ..states import EscalationReason, NoteAuthor, WebhookEvent
from .contacts import case_party_for, case_party_invite
from .lifecycle import emit_case_event

T = TypeVar("T")
MAX_PRODUCTS = 20
MAX_PRODUCT_FIELD = 200
#: Finished request states that count as resolved by the crowd (vs escalated) for triage.
RESOLVED = (RequestState.COMPLETED, RequestState.CLOSED)


def _program(partner: Partner, program: Program | str) -> Program:
    slug = program.slug if isinstance(program, Program) else program
    found = Program.objects.filter(partner=partner, slug=slug, is_active=True).first()
    if found is None:
        raise field_error("program", f"No active program {slug!r}.", code="unknown_program")
    return found


def _service(program: Program, code: str) -> ProgramService:
    service = (
        ProgramService.objects.select_related("skill")
        .filter(program=program, code=code, is_active=True)
        .first()
    )
    if service is None:
        raise field_error(
            "service", f"No active service {code!r} in this program.", code="unknown_service"
        )
    return service


def _check_served(program: Program, location: Location) -> None:
    """A program without region rows serves all of its currency's country."""
    if CURRENCY_BY_COUNTRY[location.country] != program.currency:
        raise field_error(
            "postcode", "This program does not serve that country.", code="outside_country"
        )
    regions = list(program.regions.all())
    if regions and not any(region_covers(r, location) for r in regions):
        raise field_error(
            "postcode", "This postcode lies outside the program's regions.", code="outside_regions"
        )


def products_validate(products: object) -> list[dict[str, Any]]:
    """Products the helper sees: [{"kind": str, "model": str, "diagnostics": {...}?}, ...]."""
    if not isinstance(products, list):
        raise field_error("products", "Products must be a list of objects.")
    if len(products) > MAX_PRODUCTS:
        raise field_error("products", f"At most {MAX_PRODUCTS} products per case.")
    errors: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    for index, product in enumerate(products):
        if not isinstance(product, Mapping):
            errors[f"products.{index}"] = ["Each product must be an object."]
            continue
        item: dict[str, Any] = {}
        for name in ("kind", "model"):
            value = product.get(name)
            if not isinstance(value, str) or not value.strip():
                errors[f"products.{index}.{name}"] = [f"'{name}' must be a non-empty string."]
            elif len(value) > MAX_PRODUCT_FIELD:
                errors[f"products.{index}.{name}"] = [f"At most {MAX_PRODUCT_FIELD} characters."]
            else:
                item[name] = value.strip()
        diagnostics = product.get("diagnostics")
        if diagnostics is not None and not isinstance(diagnostics, Mapping):
            errors[f"products.{index}.diagnostics"] = ["Diagnostics must be an object."]
        elif diagnostics is not None:
            item["diagnostics"] = dict(diagnostics)
        cleaned.append(item)
    if errors:
        raise InvalidInput("Some products are invalid.", errors=errors)
    return cleaned


def _contact_check(name: str, email: str, phone: str, reference: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not reference.strip() or len(reference) > 100:
        errors["reference"] = ["Your reference is needed (1 to 100 characters)."]
    if not name.strip() or len(name) > 150:
        errors["contact_name"] = ["The customer's name is needed (at most 150 characters)."]
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["contact_email"] = ["Enter a valid e-mail address."]
    if len(phone) > 32:
        errors["contact_phone"] = ["At most 32 characters."]
    return errors


def service_resolution_rate(program: Program, service: ProgramService) -> tuple[int, Decimal]:
    """(finished cases, share resolved by helpers) of a service; triaged cases don't count,
    or a triaged service could never prove itself again."""
    finished = (
        Case.objects.filter(program=program, service=service)
        .exclude(escalation_reason=EscalationReason.TRIAGE)
        .filter(request__state__in=[*RESOLVED, RequestState.ESCALATED])
    )
    total = finished.count()
    if not total:
        return 0, Decimal(1)
    resolved = finished.filter(request__state__in=RESOLVED).count()
    return total, Decimal(resolved) / Decimal(total)


def _needs_triage(program: Program, service: ProgramService) -> Decimal | None:
    """The service's resolution rate if the program sends it straight to technicians."""
    if program.triage_min_resolution_rate is None:
        return None
    total, rate = service_resolution_rate(program, service)
    if total >= program.triage_min_cases and rate < program.triage_min_resolution_rate:
        return rate
    return None


@dataclass(frozen=True)
class CaseDraft:
    """A case as the partner sent it, before any check."""

    partner: Partner
    program: Program | str
    service_code: str
    reference: str
    contact_name: str
    contact_email: str
    contact_phone: str
    country: str
    postcode: str
    street_address: str
    description: str
    products: Sequence[Mapping[str, Any]] | object
    window_start: datetime | None
    window_end: datetime | None
    api_key: PartnerApiKey | None


@dataclass(frozen=True)
class CheckedCase:
    """What the checks found: the active program and service, the place, clean products."""

    program: Program
    service: ProgramService
    location: Location
    products: list[dict[str, Any]]


def case_create(
    *,
    partner: Partner,
    program: Program | str,
    service_code: str,
    reference: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    country: str,
    postcode: str,
    street_address: str,
    description: str,
    products: Sequence[Mapping[str, Any]] | object,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
    api_key: PartnerApiKey | None = None,
) -> Case:
    """Open a case: validate everything (all field errors at once), then post the request.

    The SLA clock starts now. A service whose crowd resolution rate is below the program's
    triage threshold is posted without dispatch and escalated at once (reason `triage`).
    """
    draft = CaseDraft(
        partner=partner,
        program=program,
        service_code=service_code,
        reference=reference,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        country=country,
        postcode=postcode,
        street_address=street_address,
        description=description,
        products=products,
        window_start=window_start,
        window_end=window_end,
        api_key=api_key,
    )
    case = _case_open(draft, _case_check(draft))
    case.refresh_from_db()
    return case


def _case_check(draft: CaseDraft) -> CheckedCase:
    """Every check of a draft; raises InvalidInput with all field errors at once."""
    errors = _contact_check(
        draft.contact_name, draft.contact_email, draft.contact_phone, draft.reference
    )

    codes: dict[str, str] = {}

    def collect(check: Callable[[], T]) -> T | None:
        """Run one check; keep its field errors and go on, so all are reported at once."""
        try:
            return check()
        except InvalidInput as error:
            errors.update(error.errors)
            codes.update(error.field_codes)
            return None

    program_obj = collect(lambda: _program(draft.partner, draft.program))
    service = None
    if program_obj is not None:
        service = collect(lambda: _service(program_obj, draft.service_code))
    location = collect(lambda: locate_postcode(draft.country, draft.postcode))
    if program_obj is not None and location is not None:
        collect(lambda: _check_served(program_obj, location))
    cleaned_products = collect(lambda: products_validate(draft.products)) or []
    if not draft.street_address.strip():
        errors["street_address"] = ["The street address is needed for the booked helper."]
    if errors or program_obj is None or service is None or location is None:
        fields = ", ".join(sorted(errors))
        raise InvalidInput(f"Some fields are invalid: {fields}.", errors=errors, field_codes=codes)
    return CheckedCase(program_obj, service, location, cleaned_products)


def _case_open(draft: CaseDraft, checked: CheckedCase) -> Case:
    """Post the request and write the case in one transaction (the SLA clock starts now)."""
    program, service = checked.program, checked.service
    now = timezone.now()
    first_offer_due = now + timedelta(minutes=program.sla_first_offer_minutes)
    completion_due = max(now + timedelta(hours=program.sla_completion_hours), first_offer_due)
    triage_rate = _needs_triage(program, service)
    with transaction.atomic():
        party = case_party_for(
            email=draft.contact_email, name=draft.contact_name, phone=draft.contact_phone
        )
        request = request_post(
            actor=party.customer,
            pending_contact=party.pending_contact,
            terms=_dispatch_terms(service, first_offer_due) if triage_rate is None else None,
            pool=program.pk,
            skill=service.skill.slug,
            # The job's title as helpers in the program's markets read it: German where given.
            title=service.label_in("de")[:120],
            description=draft.description,
            country=checked.location.country,
            postcode=checked.location.postcode,
            street_address=draft.street_address,
            window_start=draft.window_start or now,
            window_end=draft.window_end or completion_due,
        )
        case = Case.objects.create(
            partner=draft.partner,
            program=program,
            service=service,
            request=request,
            reference=draft.reference.strip(),
            contact_name=draft.contact_name.strip(),
            contact_email=draft.contact_email.strip().lower(),
            contact_phone=draft.contact_phone.strip(),
            products=checked.products,
            first_offer_due_at=first_offer_due,
            completion_due_at=completion_due,
            created_by_key=draft.api_key,
        )
        case_party_invite(case, party)
        emit_case_event(case, WebhookEvent.CASE_CREATED)  # same `data` as every case event
        if triage_rate is not None:
            _case_triage(case, triage_rate)
    return case


def _dispatch_terms(service: ProgramService, first_offer_due: datetime) -> DispatchTerms:
    """Fixed price to the program's qualified helpers; nobody booked by the deadline: escalate."""
    return DispatchTerms(
        mode=DispatchMode.FIXED_PRICE,
        fixed_price_minor=service.fixed_price_minor,
        fixed_duration_minutes=service.duration_minutes,
        deadline_at=first_offer_due,
        on_deadline=DeadlineAction.ESCALATE,
        partner_id=service.program.partner_id,
        partner_share_minor=service.partner_share_minor,
        visit_fee_minor=service.program.visit_fee_minor,
    )


def _case_triage(case: Case, rate: Decimal) -> None:
    """A service the crowd rarely resolves goes straight to the partner's technicians."""
    from .escalation import case_escalate  # the escalation flow builds on cases

    case_escalate(
        case_id=case.pk,
        reason=EscalationReason.TRIAGE,
        actor=None,
        note=f"Crowd resolution rate of this service is {rate:.0%}.",
    )


#: States a case can be cancelled in: before the work starts (a booked helper is released).
CANCELLABLE = OPEN_FOR_OFFERS | {RequestState.BOOKED}


def case_cancel(*, partner: Partner, case_id: int, reason: str = "") -> Case:
    """Withdraw a case before the work starts. The partner acts for its customer, so the
    request is cancelled (or its booking, freeing the helper) in the customer's name."""
    case = get_case_for_partner(partner, case_id)
    request = case.request
    note = f"Cancelled by {partner.name}: {reason.strip()}"[:200]
    if request.state in OPEN_FOR_OFFERS:
        request_cancel_for_customer(request_id=request.pk, reason=note)
    elif request.state == RequestState.BOOKED:
        booking_id = (
            Booking.objects.filter(request_id=request.pk, cancelled_at__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )
        if booking_id is None:  # pragma: no cover - a booked request always has its booking
            raise Conflict("This case has no booking to cancel.", code="illegal_state")
        booking_cancel_for_customer(booking_id=booking_id, reason=note)
    else:
        state = RequestState(request.state)
        raise Conflict(
            f"This case is {state.label.lower()}; only cases not yet started can be cancelled.",
            code="case_not_cancellable",
        )
    return get_case_for_partner(partner, case_id)


def case_note_add(
    *,
    partner: Partner,
    case_id: int,
    text: str,
    author: User | None = None,
    author_kind: NoteAuthor = NoteAuthor.PARTNER,
) -> CaseNote:
    """A note on the case (the partner's, or a helper's / operator's via `author_kind`)."""
    case = get_case_for_partner(partner, case_id)
    text = text.strip()
    if not text:
        raise field_error("text", "Write something.")
    if len(text) > 4000:
        raise field_error("text", "A note has at most 4000 characters.")
    with transaction.atomic():
        return CaseNote.objects.create(case=case, author=author, author_kind=author_kind, text=text)
