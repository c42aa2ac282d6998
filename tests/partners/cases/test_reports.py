"""Partner reports: the figures of a small known set of cases, per week / month and region,
and the CSV export's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from quartier.dispatch.models import Invitation
from quartier.dispatch.services import dispatch_first_wave, invitation_accept
from quartier.jobs.services import request_cancel
from quartier.partners.cases.escalation import case_escalate
from quartier.partners.cases.reports import CSV_HEADER, ReportFilters, csv_rows, partner_report
from quartier.partners.cases.services import case_create
from quartier.partners.models import Case, Partner, Program
from quartier.partners.states import EscalationReason
from tests.factories import make_helper, play_visit, review_published
from tests.partners.factories import make_partner, make_program, make_qualified

ZURICH = ZoneInfo("Europe/Zurich")
WEEK_1 = date(2026, 11, 2)  # a Monday
WEEK_2 = date(2026, 11, 9)


@dataclass
class KnownCases:
    partner: Partner
    program: Program
    cases: dict[str, Case]


def new_case(partner: Partner, reference: str, postcode: str = "8004") -> Case:
    return case_create(
        partner=partner,
        program="home-internet",
        service_code="router-setup",
        reference=reference,
        contact_name="Paula Kunde",
        contact_email=f"{reference.lower()}@customers.example",
        contact_phone="",
        country="CH",
        postcode=postcode,
        street_address="Badenerstrasse 1",
        description="The router blinks red.",
        products=[{"kind": "router", "model": "Box 5"}],
    )


def resolve(case: Case, helper_slot: int, rating: int) -> None:
    """Played through the real services: invited, accepted, done, rated by the customer."""
    dispatch_first_wave(request_id=case.request_id)
    invitation = Invitation.objects.get(dispatch__request_id=case.request_id)
    start = (timezone.now() + timedelta(hours=2 + 3 * helper_slot)).replace(
        minute=0, second=0, microsecond=0
    )
    booking = invitation_accept(
        actor=invitation.helper, invitation_id=invitation.pk, proposed_start=start
    )
    play_visit(booking.pk)
    review_published(case.request.customer, booking_id=booking.pk, rating=rating)


def backdate(case: Case, created: datetime, first_offer_after: timedelta | None) -> None:
    Case.objects.filter(pk=case.pk).update(
        created_at=created,
        first_offer_at=None if first_offer_after is None else created + first_offer_after,
    )


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZURICH)


def known_cases(slug: str = "swisstel") -> KnownCases:
    """Week 1: A, B resolved in Zürich (first offers after 30 and 90 min, rated 5 and 3),
    D open in Zürich, C escalated in Bern; week 2: E cancelled in Zürich."""
    partner = make_partner(slug=slug, name=slug.title())
    program = make_program(
        partner,
        technician_cost_minor=18000,
        sla_completion_hours=72,
        min_skill_score=1,  # the helper stays eligible after the first reviews
        min_completed_jobs=0,
    )
    helper = make_helper(
        email=f"helper@{slug}.example", postcode="8003", skills=["internet-wlan"], radius_km=20
    )
    make_qualified(helper, program)
    cases = {ref: new_case(partner, ref) for ref in ("A", "B", "D", "E")}
    cases["C"] = new_case(partner, "C", postcode="3011")
    resolve(cases["A"], 0, rating=5)
    resolve(cases["B"], 1, rating=3)
    case_escalate(case_id=cases["C"].pk, reason=EscalationReason.PARTNER, actor=None)
    request_cancel(actor=cases["E"].request.customer, request_id=cases["E"].request_id)
    backdate(cases["A"], at(WEEK_1, 9), timedelta(minutes=30))
    backdate(cases["B"], at(WEEK_1 + timedelta(days=2), 14), timedelta(minutes=90))
    backdate(cases["C"], at(WEEK_1 + timedelta(days=1), 8), None)
    backdate(cases["D"], at(WEEK_1 + timedelta(days=6), 23), None)  # Sunday night, local
    backdate(cases["E"], at(WEEK_2, 0), None)  # Monday just after midnight, local
    return KnownCases(partner, program, cases)


@pytest.mark.django_db
def test_weekly_figures_per_region() -> None:
    data = known_cases()

    report = partner_report(data.partner, ReportFilters(period="week"))

    rows = {(r.period_start, r.region_label): r for r in report.rows}
    assert set(rows) == {(WEEK_1, "CH-ZH"), (WEEK_1, "CH-BE"), (WEEK_2, "CH-ZH")}
    zurich = rows[(WEEK_1, "CH-ZH")]
    assert zurich.volume == 3
    assert zurich.first_offer_median_minutes == 60.0
    assert (zurich.resolved, zurich.finished) == (2, 2)
    assert zurich.resolution_rate == Decimal("1.000")
    assert zurich.escalation_rate == Decimal("0.000")
    assert zurich.satisfaction == Decimal("4.00")
    assert zurich.ratings == 2
    assert zurich.visits_avoided == 2
    assert zurich.cost_avoided_minor == 36000
    assert zurich.currency == "CHF"
    bern = rows[(WEEK_1, "CH-BE")]
    assert (bern.volume, bern.escalated, bern.finished) == (1, 1, 1)
    assert bern.resolution_rate == Decimal("0.000")
    assert bern.escalation_rate == Decimal("1.000")
    assert bern.first_offer_median_minutes is None
    assert bern.satisfaction is None
    assert bern.cost_avoided_minor == 0
    cancelled = rows[(WEEK_2, "CH-ZH")]
    assert cancelled.volume == 1
    assert cancelled.resolution_rate is None  # a cancelled case is not finished
    assert [t.period_start for t in report.totals] == [WEEK_1, WEEK_2]
    assert report.totals[0].volume == 4
    assert report.totals[0].cost_avoided_minor == {"CHF": 36000}


@pytest.mark.django_db
def test_monthly_figures_and_the_date_range() -> None:
    data = known_cases()

    month = partner_report(data.partner, ReportFilters(period="month"))
    second_week = partner_report(data.partner, ReportFilters(period="week", since=WEEK_2))

    rows = {(r.period_start, r.region_label): r.volume for r in month.rows}
    assert rows == {(date(2026, 11, 1), "CH-ZH"): 4, (date(2026, 11, 1), "CH-BE"): 1}
    assert [(r.period_start, r.volume) for r in second_week.rows] == [(WEEK_2, 1)]


@pytest.mark.django_db
def test_another_partners_cases_never_count() -> None:
    known_cases()
    other = make_partner(slug="moebelwerk", name="Möbelwerk")

    assert partner_report(other, ReportFilters()).rows == []


@pytest.mark.django_db
def test_csv_records_carry_the_same_figures() -> None:
    data = known_cases()

    records = csv_rows(partner_report(data.partner, ReportFilters(period="week")))

    assert records[0] == CSV_HEADER
    by_key = {(r[0], r[2]): dict(zip(CSV_HEADER, r, strict=True)) for r in records[1:]}
    zurich = by_key[("2026-11-02", "ZH")]
    assert zurich["cases"] == 3
    assert zurich["median_minutes_to_first_offer"] == "60.0"
    assert zurich["resolution_rate"] == "1.000"
    assert zurich["average_rating"] == "4.00"
    assert zurich["cost_avoided"] == "360.00"
    assert zurich["currency"] == "CHF"
    assert by_key[("2026-11-02", "BE")]["escalation_rate"] == "1.000"
    assert len(records) == 4
