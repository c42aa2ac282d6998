"""A case's service level: first offer by `first_offer_due_at`, done by `completion_due_at`.

`sla_status` says where a case stands:

- `on_track`: the next deadline is more than `AT_RISK_SHARE` of its span away;
- `at_risk`: less than that is left (of the time from the case's creation to the deadline);
- `breached`: a deadline passed before its milestone (first offer, completion), or the case
  was escalated because of the SLA;
- `met`: the case finished in time (completed, cancelled, or handed to the partner's
  technicians before a deadline passed). Cancelled cases count as met: nothing is owed.

Enforcement. The first-offer SLA is the dispatch deadline: dispatch escalates at
`first_offer_due_at` and the lifecycle receiver escalates the case (reason `sla`).
`sla_sweep`, run by `quartier worker` each tick, is the safety net for that and enforces the
completion SLA for cases nobody started: a booked case whose helper has not started by
`completion_due_at` is escalated (reason `sla`) and the booking freed. A case in progress
is never taken from a helper at work; past its deadline it only shows as `breached`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final, Literal

from django.db.models import Q
from django.utils import timezone

from quartier.jobs.states import OPEN_FOR_OFFERS, RequestState

from ..models import Case
from ..states import EscalationReason

logger = logging.getLogger(__name__)

SlaStatus = Literal["on_track", "at_risk", "breached", "met"]
ON_TRACK: Final = "on_track"
AT_RISK: Final = "at_risk"
BREACHED: Final = "breached"
MET: Final = "met"
SLA_STATUSES = (ON_TRACK, AT_RISK, BREACHED, MET)
#: A deadline is at risk once less than this share of its span (creation -> due) is left.
AT_RISK_SHARE = 0.25
#: Cases handled per sweep; the rest wait for the next tick.
SWEEP_LIMIT = 200

FINISHED = frozenset({RequestState.COMPLETED, RequestState.CLOSED})


def case_completed_at(case: Case) -> datetime | None:
    """When the case's job was signed off done (None: not yet); a visit that could not fix
    it and had only its visit fee signed off is not the job done."""
    done = [
        b.completed_at
        for b in case.request.bookings.all()
        if b.completed_at is not None and b.outcome != "not_fixed"
    ]
    return max(done, default=None)


def _clock(case: Case, due: datetime, now: datetime) -> SlaStatus:
    if now > due:
        return BREACHED
    span = (due - case.created_at).total_seconds()
    left = (due - now).total_seconds()
    return AT_RISK if span > 0 and left < span * AT_RISK_SHARE else ON_TRACK


def sla_status(case: Case, now: datetime | None = None) -> SlaStatus:
    """`on_track`, `at_risk`, `breached` or `met` (see the module docstring)."""
    now = now or timezone.now()
    state = case.request.state
    first_late = case.first_offer_at is not None and case.first_offer_at > case.first_offer_due_at
    if case.escalated_at is not None:
        if case.escalation_reason == EscalationReason.SLA or first_late:
            return BREACHED
        due = case.first_offer_due_at if case.first_offer_at is None else case.completion_due_at
        return BREACHED if case.escalated_at > due else MET
    if state in FINISHED:
        done = case_completed_at(case) or case.request.updated_at
        return BREACHED if first_late or done > case.completion_due_at else MET
    if state == RequestState.CANCELLED:
        return BREACHED if first_late else MET
    if case.first_offer_at is None:
        return _clock(case, case.first_offer_due_at, now)
    if first_late:
        return BREACHED
    return _clock(case, case.completion_due_at, now)


def past_sla(now: datetime) -> Q:
    """Cases past a deadline and not escalated: still waiting for a first offer after
    first_offer_due_at, or not done after completion_due_at (the operators' queue)."""
    waiting = Q(request__state__in=OPEN_FOR_OFFERS, first_offer_due_at__lt=now)
    closed = FINISHED | {RequestState.CANCELLED, RequestState.ESCALATED}
    unfinished = Q(completion_due_at__lt=now) & ~Q(request__state__in=closed)
    return Q(escalated_at__isnull=True) & (waiting | unfinished)


def sla_overdue_case_ids(*, now: datetime, limit: int = SWEEP_LIMIT) -> list[int]:
    """Cases the sweep must escalate: still waiting for a first offer past its deadline
    (a dispatch that should have escalated them), or booked but not started past
    completion_due_at."""
    waiting = Q(request__state__in=OPEN_FOR_OFFERS, first_offer_due_at__lt=now)
    not_started = Q(request__state=RequestState.BOOKED, completion_due_at__lt=now)
    return list(
        Case.objects.filter(escalated_at__isnull=True)
        .filter(waiting | not_started)
        .exclude(request__dispatch__state="active")  # dispatch escalates those itself
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def sla_sweep(*, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> int:
    """Escalate (reason `sla`) every overdue case; returns how many were escalated. Each case
    in its own transaction; a failure is logged and retried at the next tick."""
    from .escalation import case_escalate

    now = now or timezone.now()
    escalated = 0
    for case_id in sla_overdue_case_ids(now=now, limit=limit):
        try:
            case_escalate(
                case_id=case_id,
                reason=EscalationReason.SLA,
                actor=None,
                note="The SLA deadline passed before the job was done.",
            )
            escalated += 1
        except Exception:
            logger.exception("case %s: SLA escalation failed", case_id)
    return escalated
