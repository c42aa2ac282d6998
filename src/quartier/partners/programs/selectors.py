"""Reads of partner programs: where a program serves, whether a helper is eligible for it,
the programs a helper sees, a partner's qualifications, and who may take a program's cases.

Eligibility per required skill (the skills of the program's active services): the helper's
Bayesian skill score, computed with the matcher's own `bayesian_mean` from the running
totals in reviews.SkillScore, must be at least `program.min_skill_score`, and the helper
must have completed at least `program.min_completed_jobs` jobs in that skill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, ngettext

from quartier.accounts.models import User
from quartier.accounts.selectors import helper_profile_of
from quartier.bookings.models import Booking
from quartier.catalog.models import Skill
from quartier.errors import NotFound
from quartier.geo.geocoding import Location, locate_postcode
from quartier.jobs.states import RequestState
from quartier.matching.ranking import bayesian_mean, ranking_params
from quartier.reviews.selectors import skill_scores_for

from ..models import Partner, Program, ProgramRegion, ProgramService, Qualification
from ..states import QualificationState

DONE = (RequestState.COMPLETED, RequestState.CLOSED)


def region_covers(region: ProgramRegion, location: Location) -> bool:
    return (
        region.country == location.country
        and (not region.region or region.region == location.region)
        and (not region.postcode_prefix or location.postcode.startswith(region.postcode_prefix))
    )


@dataclass(frozen=True)
class SkillCheck:
    """One required skill: the helper's figures against the program's thresholds."""

    skill_id: int
    skill_name: str  # in the active language
    skill_name_en: str  # for the stored reason of an automatic suspension
    score: float
    review_count: int
    min_score: float
    completed_jobs: int
    min_jobs: int

    @property
    def score_ok(self) -> bool:
        return round(self.score, 2) >= self.min_score

    @property
    def jobs_ok(self) -> bool:
        return self.completed_jobs >= self.min_jobs

    @property
    def ok(self) -> bool:
        return self.score_ok and self.jobs_ok

    @property
    def reasons(self) -> list[str]:
        """Plain-language reasons with figures, for the helper (empty when met)."""
        out = []
        if not self.score_ok:
            out.append(
                ngettext(
                    "Your score in %(skill)s is %(score).2f (from %(count)d review); "
                    "the program needs at least %(min).2f.",
                    "Your score in %(skill)s is %(score).2f (from %(count)d reviews); "
                    "the program needs at least %(min).2f.",
                    self.review_count,
                )
                % {
                    "skill": self.skill_name,
                    "score": self.score,
                    "count": self.review_count,
                    "min": self.min_score,
                }
            )
        if not self.jobs_ok:
            out.append(
                ngettext(
                    "You have completed %(jobs)d job in %(skill)s; the program needs at "
                    "least %(min)d.",
                    "You have completed %(jobs)d jobs in %(skill)s; the program needs at "
                    "least %(min)d.",
                    self.completed_jobs,
                )
                % {"jobs": self.completed_jobs, "skill": self.skill_name, "min": self.min_jobs}
            )
        return out


@dataclass(frozen=True)
class Eligibility:
    checks: list[SkillCheck] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        if not self.checks:
            return [gettext("The program has no active services yet.")]
        return [reason for check in self.checks for reason in check.reasons]


def required_skills(program: Program) -> list[Skill]:
    """The skills of the program's active services."""
    services = program.services.filter(is_active=True).select_related("skill")
    skills = {service.skill_id: service.skill for service in services}
    return sorted(skills.values(), key=lambda skill: (skill.position, skill.slug))


def qualification_eligibility(helper: User, program: Program) -> Eligibility:
    """The helper's figures per required skill; `eligible` when every threshold is met."""
    params = ranking_params()
    min_score = float(program.min_skill_score)
    checks = []
    for skill in required_skills(program):
        score = skill_scores_for(helper_ids=[helper.pk], skill_id=skill.pk)[helper.pk]
        jobs = Booking.objects.filter(
            helper_id=helper.pk, request__skill_id=skill.pk, request__state__in=DONE
        ).count()
        checks.append(
            SkillCheck(
                skill_id=skill.pk,
                skill_name=skill.name,
                skill_name_en=skill.name_en,
                score=bayesian_mean(float(score.total), float(score.count), params),
                review_count=score.count,
                min_score=min_score,
                completed_jobs=jobs,
                min_jobs=program.min_completed_jobs,
            )
        )
    return Eligibility(checks)


def program_serves_helper(program: Program, helper: User) -> bool:
    """The helper's home postcode lies in one of the program's regions (none = its country)."""
    profile = helper_profile_of(helper)
    if profile is None:
        return False
    regions = list(program.regions.all())
    if not regions:
        return profile.currency == program.currency
    location = locate_postcode(profile.country, profile.postcode)
    return any(region_covers(region, location) for region in regions)


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


def program_list(partner: Partner) -> list[Program]:
    """The partner's active programs with their active services and regions."""
    return list(
        Program.objects.filter(partner=partner, is_active=True)
        .prefetch_related(
            Prefetch("services", queryset=ProgramService.objects.filter(is_active=True)),
            "regions",
        )
        .order_by("name", "id")
    )


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
