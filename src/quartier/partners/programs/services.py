"""Helpers qualifying for partner programs: apply, approve, revoke, suspend, reinstate.

Whether a helper is eligible is a read (`selectors.qualification_eligibility`).

Re-qualification rule: a qualified helper whose eligibility lapses (a bad review pulls a
required skill score below the threshold) is suspended automatically; when it recovers,
the helper is reinstated automatically (training still counts, no new approval needed).
A revoked helper must apply again and be approved again by the partner.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.bookings.models import Booking
from quartier.errors import Conflict, Forbidden, NotFound
from quartier.events import handles
from quartier.events.models import DomainEvent
from quartier.matching.pools import pool_member_set

from ..access import require_admin
from ..models import Program, Qualification, QualificationEvent
from ..states import QualificationState, qualification_can_move
from .selectors import program_serves_helper, qualification_eligibility


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
    qualification_pool_sync(qualification)
    return qualification


def qualification_pool_sync(qualification: Qualification) -> None:
    """Tell matching whether the helper may serve the program's cases: qualified and
    trained. Call it in the transaction of every change to either."""
    pool_member_set(
        pool=qualification.program_id,
        helper_id=qualification.helper_id,
        member=qualification.state == QualificationState.QUALIFIED
        and qualification.training_passed_at is not None,
    )


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
            program=program, helper=actor, defaults={"state": QualificationState.APPLIED}
        )
        if created:
            QualificationEvent.objects.create(
                qualification=qualification,
                actor=actor,
                from_state="",
                to_state=QualificationState.APPLIED,
            )
            return qualification
        if qualification.state in (QualificationState.APPLIED, QualificationState.QUALIFIED):
            raise Conflict("You have already applied to this program.", code="already_applied")
        return _move(qualification, QualificationState.APPLIED, actor=actor, note="Applied again.")


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
    if qualification.state not in (QualificationState.APPLIED, QualificationState.SUSPENDED):
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
        if actor.is_staff:
            record_operator_action(actor, "qualification.approve", qualification)
        return _move(
            qualification, QualificationState.QUALIFIED, actor=actor, note="Approved.", decided=True
        )


def qualification_revoke(*, actor: User, qualification_id: int, reason: str = "") -> Qualification:
    """A partner admin (or an operator) revokes a qualification; the reason shows to the helper."""
    qualification = _get_for_admin(actor, qualification_id)
    reason = reason.strip() or "Revoked by the partner."
    with transaction.atomic():
        if actor.is_staff:
            record_operator_action(actor, "qualification.revoke", qualification, reason)
        return _move(
            qualification, QualificationState.REVOKED, actor=actor, note=reason, decided=True
        )


def qualifications_recheck(*, helper_id: int) -> int:
    """Suspend qualified helpers whose eligibility lapsed, reinstate recovered ones.

    Runs in the transaction of the event handler that noticed the change. Returns how many
    qualifications moved.
    """
    rows = list(
        Qualification.objects.select_related("program", "helper").filter(
            helper_id=helper_id,
            state__in=[QualificationState.QUALIFIED, QualificationState.SUSPENDED],
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
    if qualification.state == QualificationState.QUALIFIED and not eligibility.eligible:
        note = "Suspended automatically: " + " ".join(
            f"{c.skill_name_en} score {c.score:.2f} / {c.completed_jobs} jobs"
            f" (needs {c.min_score:.2f} / {c.min_jobs})."
            for c in eligibility.checks
            if not c.ok
        )
        _move(qualification, QualificationState.SUSPENDED, actor=None, note=note)
        return 1
    if (
        qualification.state == QualificationState.SUSPENDED
        and eligibility.eligible
        and qualification.training_passed_at is not None
    ):
        _move(
            qualification,
            QualificationState.QUALIFIED,
            actor=None,
            note="Reinstated: requirements met again.",
        )
        return 1
    return 0


@handles("review.created", "booking.completed", name="partners.qualification_recheck")
def on_helper_record_changed(event: DomainEvent) -> None:
    """A review about a helper or a completed job moves their scores and job counts: suspend
    or reinstate their qualifications (after commit, in the worker)."""
    payload = event.payload
    if event.kind == "review.created" and payload["direction"] != "customer_to_helper":
        return
    helper_id = payload["subject_id"] if event.kind == "review.created" else None
    if helper_id is None:
        helper_id = Booking.objects.values_list("helper_id", flat=True).get(
            pk=payload["booking_id"]
        )
    qualifications_recheck(helper_id=helper_id)
