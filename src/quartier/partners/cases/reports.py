"""A partner's figures per period (week or month), region (canton / Land) and program.

Definitions (the dashboard and the CSV export show exactly these):

- volume: cases created in the period;
- time to first offer: the median of `first_offer_at - created_at` over the period's cases
  that got one, in minutes;
- resolution rate: resolved (completed or closed) / finished (resolved or escalated); open
  and cancelled cases are neither;
- escalation rate: escalated / volume;
- satisfaction: the average customer rating of the helper on the period's cases;
- technician visits avoided: resolved cases; cost avoided: visits avoided x the program's
  `technician_cost_minor`, in the program's currency.

Grouping and counting run in the database (TruncWeek / TruncMonth and conditional counts work
on SQLite and PostgreSQL alike); only the median is taken in Python, from one list of pairs.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from quartier.jobs.states import RequestState

from ..models import Case, Partner, Program

Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")
REPORT_TZ = ZoneInfo("Europe/Zurich")
RESOLVED = (RequestState.COMPLETED, RequestState.CLOSED)
FINISHED = (*RESOLVED, RequestState.ESCALATED)
#: Customer -> helper reviews (reviews.Direction), read-only here.
CUSTOMER_TO_HELPER = "customer_to_helper"


@dataclass(frozen=True)
class ReportFilters:
    period: Period = "week"
    since: date | None = None
    until: date | None = None  # inclusive
    program: str | None = None


@dataclass(frozen=True)
class ReportRow:
    """One period x region x program."""

    period_start: date
    country: str
    region: str
    program: str
    program_name: str
    currency: str
    volume: int
    first_offer_median_minutes: float | None
    resolved: int
    finished: int
    escalated: int
    ratings: int
    satisfaction: Decimal | None
    visits_avoided: int
    cost_avoided_minor: int

    @property
    def region_label(self) -> str:
        return f"{self.country}-{self.region}" if self.region else self.country

    @property
    def resolution_rate(self) -> Decimal | None:
        return _share(self.resolved, self.finished)

    @property
    def escalation_rate(self) -> Decimal | None:
        return _share(self.escalated, self.volume)


@dataclass(frozen=True)
class PeriodTotal:
    """All regions and programs of one period (for the charts), cost per currency."""

    period_start: date
    volume: int
    resolved: int
    finished: int
    escalated: int
    first_offer_median_minutes: float | None
    cost_avoided_minor: dict[str, int]

    @property
    def resolution_rate(self) -> Decimal | None:
        return _share(self.resolved, self.finished)


@dataclass(frozen=True)
class Report:
    filters: ReportFilters
    rows: list[ReportRow]
    totals: list[PeriodTotal]

    @property
    def currencies(self) -> list[str]:
        return sorted({row.currency for row in self.rows})


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _median_minutes(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 60, 1) if seconds else None


def _local_day(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        return (
            timezone.localtime(moment, REPORT_TZ).date()
            if timezone.is_aware(moment)
            else (moment.date())
        )
    return moment


def _bounds(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()), REPORT_TZ)


def report_cases(partner: Partner, filters: ReportFilters) -> QuerySet[Case]:
    """The partner's cases in the report's range, annotated with period, region and rating."""
    from quartier.geo.models import Postcode  # read-only: the canton / Land of a postcode
    from quartier.reviews.models import Review  # read-only: the customer's rating

    trunc = TruncMonth if filters.period == "month" else TruncWeek
    cases = Case.objects.filter(partner=partner)
    if filters.program:
        cases = cases.filter(program__slug=filters.program)
    if filters.since:
        cases = cases.filter(created_at__gte=_bounds(filters.since))
    if filters.until:
        cases = cases.filter(created_at__lt=_bounds(filters.until + timedelta(days=1)))
    region = Postcode.objects.filter(
        country=OuterRef("request__country"), postcode=OuterRef("request__postcode")
    ).values("region")[:1]
    rating = Review.objects.filter(
        booking__request_id=OuterRef("request_id"), direction=CUSTOMER_TO_HELPER
    ).values("rating")[:1]
    return cases.annotate(
        period=trunc("created_at", tzinfo=REPORT_TZ),
        region=Subquery(region),
        rating=Subquery(rating),
    )


def partner_report(partner: Partner, filters: ReportFilters) -> Report:
    """The report's rows (newest period first, then region and program) and period totals."""
    cases = report_cases(partner, filters)
    keys = ("period", "request__country", "region", "program_id")
    grouped = (
        cases.values(*keys)
        .annotate(
            volume=Count("pk"),
            resolved=Count("pk", filter=Q(request__state__in=RESOLVED)),
            finished=Count("pk", filter=Q(request__state__in=FINISHED)),
            escalated=Count("pk", filter=Q(request__state=RequestState.ESCALATED)),
            ratings=Count("rating"),
            satisfaction=Avg("rating"),
        )
        .order_by()
    )
    waits: dict[tuple[object, ...], list[float]] = defaultdict(list)
    period_waits: dict[date, list[float]] = defaultdict(list)
    for *key, created, first_offer in cases.filter(first_offer_at__isnull=False).values_list(
        *keys, "created_at", "first_offer_at"
    ):
        seconds = max(0.0, (first_offer - created).total_seconds())
        waits[tuple(key)].append(seconds)
        period_waits[_local_day(key[0])].append(seconds)

    programs = {p.pk: p for p in Program.objects.filter(partner=partner)}
    rows: list[ReportRow] = []
    for group in grouped:
        program = programs[group["program_id"]]
        key = tuple(group[k] for k in keys)
        average = group["satisfaction"]
        rows.append(
            ReportRow(
                period_start=_local_day(group["period"]),
                country=group["request__country"],
                region=group["region"] or "",
                program=program.slug,
                program_name=program.label,
                currency=program.currency,
                volume=group["volume"],
                first_offer_median_minutes=_median_minutes(waits.get(key, [])),
                resolved=group["resolved"],
                finished=group["finished"],
                escalated=group["escalated"],
                ratings=group["ratings"],
                satisfaction=None
                if average is None
                else Decimal(str(average)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                visits_avoided=group["resolved"],
                cost_avoided_minor=group["resolved"] * program.technician_cost_minor,
            )
        )
    rows.sort(key=lambda r: (-r.period_start.toordinal(), r.region_label, r.program))
    return Report(filters=filters, rows=rows, totals=_totals(rows, period_waits, filters.period))


def _following(start: date, period: Period) -> date:
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def _every_period(starts: list[date], period: Period) -> list[date]:
    """Every period from the first to the last with cases: a week without cases is a gap in
    the chart, not a week that never was."""
    if not starts:
        return []
    every, start = [], min(starts)
    while start <= max(starts):
        every.append(start)
        start = _following(start, period)
    return every


def _totals(
    rows: list[ReportRow], period_waits: dict[date, list[float]], period: Period
) -> list[PeriodTotal]:
    by_period: dict[date, list[ReportRow]] = defaultdict(list)
    for row in rows:
        by_period[row.period_start].append(row)
    totals = []
    for start in _every_period(list(by_period), period):
        group = by_period[start]
        cost: dict[str, int] = defaultdict(int)
        for row in group:
            cost[row.currency] += row.cost_avoided_minor
        totals.append(
            PeriodTotal(
                period_start=start,
                volume=sum(r.volume for r in group),
                resolved=sum(r.resolved for r in group),
                finished=sum(r.finished for r in group),
                escalated=sum(r.escalated for r in group),
                first_offer_median_minutes=_median_minutes(period_waits.get(start, [])),
                cost_avoided_minor=dict(cost),
            )
        )
    return totals


CSV_HEADER = (
    "period_start",
    "country",
    "region",
    "program",
    "cases",
    "median_minutes_to_first_offer",
    "resolved",
    "finished",
    "resolution_rate",
    "escalated",
    "escalation_rate",
    "ratings",
    "average_rating",
    "technician_visits_avoided",
    "cost_avoided",
    "currency",
)


def _decimal(value: Decimal | float | None) -> str:
    return "" if value is None else str(value)


def csv_rows(report: Report) -> list[tuple[str | int, ...]]:
    """The report as CSV records (machine-readable: ISO dates, dot decimals, major units)."""
    records: list[tuple[str | int, ...]] = [CSV_HEADER]
    for row in report.rows:
        records.append(
            (
                row.period_start.isoformat(),
                row.country,
                row.region,
                row.program,
                row.volume,
                _decimal(row.first_offer_median_minutes),
                row.resolved,
                row.finished,
                _decimal(row.resolution_rate),
                row.escalated,
                _decimal(row.escalation_rate),
                row.ratings,
                _decimal(row.satisfaction),
                row.visits_avoided,
                f"{Decimal(row.cost_avoided_minor) / 100:.2f}",
                row.currency,
            )
        )
    return records
