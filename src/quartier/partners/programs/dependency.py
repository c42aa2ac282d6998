"""Helpers who earn most of their Quartier income from one partner program.

A risk indicator for misclassification, not a judgement: a contractor with essentially one
client looks like an employee to the Swiss and German social-security offices (money-law
§ 5). The operator sees who crosses the line and may talk to them; nothing in matching,
eligibility or payouts reads this report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from quartier.bookings.models import Booking

#: Report a helper when one program brought at least this share of their income …
DEPENDENCY_SHARE = 0.5
#: … over at least this many signed-off jobs in the last year.
DEPENDENCY_MIN_JOBS = 5


@dataclass(frozen=True)
class Dependency:
    helper_id: int
    helper_name: str
    currency: str
    program: str
    program_minor: int
    total_minor: int
    jobs: int

    @property
    def share(self) -> float:
        return self.program_minor / self.total_minor if self.total_minor else 0.0


def program_dependencies(
    *,
    now: datetime | None = None,
    share: float = DEPENDENCY_SHARE,
    min_jobs: int = DEPENDENCY_MIN_JOBS,
) -> list[Dependency]:
    """Per helper and currency over the last 365 days of signed-off jobs (price and tip):
    the program with the largest part, when it is at least `share`; largest share first."""
    since = (now or timezone.now()) - timedelta(days=365)
    rows = (
        Booking.objects.filter(completed_at__gte=since)
        .annotate(earned=F("price_minor") + F("tip_minor"))
        .values_list(
            "helper_id",
            "helper__full_name",
            "currency",
            "request__partner_case__program__name",
            "request__partner_case__program__partner__name",
            "earned",
        )
    )
    totals: dict[tuple[int, str], int] = defaultdict(int)
    jobs: dict[tuple[int, str], int] = defaultdict(int)
    by_program: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[int, str] = {}
    for helper_id, name, currency, program, partner, earned in rows:
        key = (helper_id, currency)
        names[helper_id] = name
        totals[key] += earned
        jobs[key] += 1
        if program:
            by_program[key][f"{partner}: {program}"] += earned
    found = []
    for key, programs in by_program.items():
        program, amount = max(programs.items(), key=lambda item: item[1])
        if jobs[key] >= min_jobs and totals[key] and amount / totals[key] >= share:
            helper_id, currency = key
            found.append(
                Dependency(
                    helper_id, names[helper_id], currency, program, amount, totals[key], jobs[key]
                )
            )
    return sorted(found, key=lambda d: (-d.share, d.helper_name))
