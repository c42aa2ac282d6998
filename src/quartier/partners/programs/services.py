"""Helpers qualifying for partner programs: apply, eligibility, approve, revoke, suspend.

Eligibility per required skill (the skills of the program's active services): the helper's
Bayesian skill score, computed with the matcher's own `bayesian_mean` from the running
totals in reviews.SkillScore, must be at least `program.min_skill_score`, and the helper
must have completed at least `program.min_completed_jobs` jobs in that skill.

Re-qualification rule: a qualified helper whose eligibility lapses (a bad review pulls a
required skill score below the threshold) is suspended automatically; when it recovers,
the helper is reinstated automatically (training still counts, no new approval needed).
A revoked helper must apply again and be approved again by the partner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from quartier.accounts.models import User
from quartier.accounts.selectors import helper_profile_of
from quartier.bookings.models import Booking
from quartier.catalog.models import Skill
from quartier.errors import Conflict, Forbidden, NotFound
from quartier.events import helper_changed
from quartier.geo.geocoding import locate_postcode
from quartier.jobs.states import RequestState
from quartier.matching.ranking import bayesian_mean, ranking_params
from quartier.reviews.selectors import skill_scores_for

from ..access import require_admin
from ..cases.services import region_covers
from ..models import Program, Qualification, QualificationEvent
from ..states import QualificationState, qualification_can_move

Q = QualificationState
DONE = (RequestState.COMPLETED, RequestState.CLOSED)


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


def _move(
    qualification: Qualification,
    target: QualificationState,
    *,
    actor: User | None,
    note: str = "",
    decided: bool = False,
) -> Qualification:
    """Compare-and-set the state (per QUALIFICATION_TRANSITIONS) and append an event."""
    source = qualification.state
    if not qualification_can_move(source, target):
        raise Conflict(
            f"A qualification that is {source} cannot become {target}.",
            code="qualification_state",
        )
    now = timezone.now()
    values: dict[str, object] = {"state": target, "reason": note[:200], "updated_at": now}
    if decided:
        values["decided_by"] = actor
    moved = Qualification.objects.filter(pk=qualification.pk, state=source).update(**values)
    if not moved:
        raise Conflict("The qualification changed meanwhile; reload.", code="qualification_state")
    QualificationEvent.objects.create(
        qualification=qualification,
        actor=actor,
        from_state=source,
        to_state=target,
        note=note[:200],
    )
    qualification.refresh_from_db()
    return qualification


def qualification_apply(*, actor: User, program_id: int) -> Qualification:
    """A helper applies to an active program near them (or re-applies after revoke/suspend)."""
    if not actor.is_helper:
        raise Forbidden("Only helpers can apply to partner programs.", code="not_a_helper")
    program = (
        Program.objects.select_related("partner")
        .filter(pk=program_id, is_active=True, partner__is_active=True)
        .first()
    )
    if program is None or not program_serves_helper(program, actor):
        raise NotFound("No such program near you.")
    with transaction.atomic():
        qualification, created = Qualification.objects.select_for_update().get_or_create(
            program=program, helper=actor, defaults={"state": Q.APPLIED}
        )
        if created:
            QualificationEvent.objects.create(
                qualification=qualification, actor=actor, from_state="", to_state=Q.APPLIED
            )
            return qualification
        if qualification.state in (Q.APPLIED, Q.QUALIFIED):
            raise Conflict("You have already applied to this program.", code="already_applied")
        return _move(qualification, Q.APPLIED, actor=actor, note="Applied again.")


def _get_for_admin(actor: User, qualification_id: int) -> Qualification:
    qualification = (
        Qualification.objects.select_related("program__partner", "helper")
        .filter(pk=qualification_id)
        .first()
    )
    if qualification is None:
        raise NotFound("No such qualification.")
    require_admin(actor, qualification.program.partner)  # NotFound for outsiders
    return qualification


def qualification_approve(*, actor: User, qualification_id: int) -> Qualification:
    """A partner admin (or an operator) approves an eligible helper who passed the training."""
    qualification = _get_for_admin(actor, qualification_id)
    if qualification.state not in (Q.APPLIED, Q.SUSPENDED):
        raise Conflict(
            f"Only applications can be approved; this one is {qualification.state}.",
            code="qualification_state",
        )
    if qualification.training_passed_at is None:
        raise Conflict(
            "The helper has not passed the program's training yet.",
            code="training_not_passed",
        )
    eligibility = qualification_eligibility(qualification.helper, qualification.program)
    if not eligibility.eligible:
        raise Conflict(
            "The helper does not meet the program's requirements: " + " ".join(eligibility.reasons),
            code="not_eligible",
        )
    with transaction.atomic():
        return _move(qualification, Q.QUALIFIED, actor=actor, note="Approved.", decided=True)


def qualification_revoke(*, actor: User, qualification_id: int, reason: str = "") -> Qualification:
    """A partner admin (or an operator) revokes a qualification; the reason shows to the helper."""
    qualification = _get_for_admin(actor, qualification_id)
    reason = reason.strip() or "Revoked by the partner."
    with transaction.atomic():
        return _move(qualification, Q.REVOKED, actor=actor, note=reason, decided=True)


def qualifications_recheck(*, helper_id: int) -> int:
    """Suspend qualified helpers whose eligibility lapsed, reinstate recovered ones.

    Runs inside the caller's transaction (a review's), so a suspension commits with the
    review that caused it. Returns how many qualifications moved.
    """
    rows = list(
        Qualification.objects.select_related("program", "helper").filter(
            helper_id=helper_id, state__in=[Q.QUALIFIED, Q.SUSPENDED]
        )
    )
    moved = 0
    for qualification in rows:
        try:
            with transaction.atomic():  # a savepoint: a lost race must not undo the review
                moved += _recheck_one(qualification)
        except Conflict:
            continue  # moved meanwhile by someone else (e.g. revoked); their state stands
    return moved


def _recheck_one(qualification: Qualification) -> int:
    eligibility = qualification_eligibility(qualification.helper, qualification.program)
    if qualification.state == Q.QUALIFIED and not eligibility.eligible:
        note = "Suspended automatically: " + " ".join(
            f"{c.skill_name_en} score {c.score:.2f} / {c.completed_jobs} jobs"
            f" (needs {c.min_score:.2f} / {c.min_jobs})."
            for c in eligibility.checks
            if not c.ok
        )
        _move(qualification, Q.SUSPENDED, actor=None, note=note)
        return 1
    if (
        qualification.state == Q.SUSPENDED
        and eligibility.eligible
        and qualification.training_passed_at is not None
    ):
        _move(qualification, Q.QUALIFIED, actor=None, note="Reinstated: requirements met again.")
        return 1
    return 0


def on_helper_changed(sender: object, helper_id: int, **kwargs: object) -> None:
    """helper_changed subscriber (reviews send it in-transaction)."""
    with transaction.atomic():
        qualifications_recheck(helper_id=helper_id)


def connect() -> None:
    helper_changed.connect(on_helper_changed, dispatch_uid="partners.qualification.recheck")
