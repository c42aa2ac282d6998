"""Reads for the partner dashboard: the filtered case table and a case's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ..models import Case, CaseNote, EscalationPhoto, Partner, Program
from .reports import REPORT_TZ
from .sla import sla_status

#: The SLA filter is evaluated in Python (it depends on the clock); it looks at this many.
SLA_FILTER_SCAN = 1000


@dataclass(frozen=True)
class CaseTableFilters:
    program: str = ""
    service: str = ""
    state: str = ""
    sla: str = ""
    region: str = ""
    since: date | None = None
    until: date | None = None  # inclusive
    reference: str = ""


@dataclass(frozen=True)
class CaseRow:
    case: Case
    region: str
    sla_status: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "state" or "note"
    title: str  # the state reached
    text: str
    author: str


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()), REPORT_TZ)


def case_table(
    partner: Partner, filters: CaseTableFilters, *, now: datetime
) -> QuerySet[Case] | list[Case]:
    """The partner's cases newest first, filtered (a query to paginate; a list of at most
    SLA_FILTER_SCAN cases when filtering by SLA status, which depends on the clock)."""
    from quartier.geo.models import Postcode  # read-only: the canton / Land of a postcode

    region = Postcode.objects.filter(
        country=OuterRef("request__country"), postcode=OuterRef("request__postcode")
    ).values("region")[:1]
    cases: QuerySet[Case] = (
        Case.objects.filter(partner=partner)
        .select_related("program", "service", "request", "request__booked_helper")
        .annotate(region=Subquery(region))
        .order_by("-created_at", "-id")
    )
    if filters.program:
        cases = cases.filter(program__slug=filters.program)
    if filters.service:
        cases = cases.filter(service__code=filters.service)
    if filters.state:
        cases = cases.filter(request__state=filters.state)
    if filters.region:
        country, _, code = filters.region.partition("-")
        cases = cases.filter(request__country=country)
        if code:
            cases = cases.filter(Q(region=code))  # the annotation above
    if filters.since:
        cases = cases.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        cases = cases.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.reference:
        cases = cases.filter(
            Q(reference__icontains=filters.reference) | Q(contact_email__iexact=filters.reference)
        )
    if not filters.sla:
        return cases
    return [case for case in cases[:SLA_FILTER_SCAN] if sla_status(case, now) == filters.sla]


def case_rows(cases: Iterable[Case], *, now: datetime) -> list[CaseRow]:
    """One page of the table: each case with its region and SLA status."""
    return [
        CaseRow(case=case, region=_label(case), sla_status=sla_status(case, now)) for case in cases
    ]


def _label(case: Case) -> str:
    code = getattr(case, "region", "") or ""
    return f"{case.request.country}-{code}" if code else case.request.country


def region_choices(partner: Partner) -> list[str]:
    """The regions the partner's cases are in ("CH-ZH", "DE-BE", ...)."""
    from quartier.geo.models import Postcode

    region = Postcode.objects.filter(
        country=OuterRef("request__country"), postcode=OuterRef("request__postcode")
    ).values("region")[:1]
    pairs = (
        Case.objects.filter(partner=partner)
        .annotate(region=Subquery(region))
        .values_list("request__country", "region")
        .distinct()
    )
    return sorted({f"{country}-{code}" if code else country for country, code in pairs})


def programs_with_services(partner: Partner) -> list[Program]:
    return list(Program.objects.filter(partner=partner).prefetch_related("services"))


def case_timeline(case: Case) -> list[TimelineEntry]:
    """State changes (the request's audit trail) and notes, oldest first."""
    from quartier.jobs.models import RequestEvent  # read-only: the request's audit trail

    entries = [
        TimelineEntry(
            at=event.created_at,
            kind="state",
            title=event.to_state,  # the template words it
            text=event.note,
            author="",
        )
        for event in RequestEvent.objects.filter(request_id=case.request_id).order_by("id")
    ]
    entries += [
        TimelineEntry(
            at=note.created_at, kind="note", title="", text=note.text, author=note.author_kind
        )
        for note in CaseNote.objects.filter(case=case).order_by("id")
    ]
    return sorted(entries, key=lambda e: e.at)


def case_photos(case: Case) -> list[EscalationPhoto]:
    return list(EscalationPhoto.objects.filter(case=case).order_by("id"))


def case_photo(case: Case, photo_id: int) -> EscalationPhoto | None:
    return EscalationPhoto.objects.filter(case=case, pk=photo_id).first()


def first_offer_pending(partner: Partner) -> QuerySet[Case]:
    """Open cases with no offer yet (a count on the dashboard's header)."""
    from quartier.jobs.states import OPEN_FOR_OFFERS

    waiting = Case.objects.filter(partner=partner, first_offer_at__isnull=True)
    return waiting.filter(request__state__in=OPEN_FOR_OFFERS)
