"""A partner's dispatch at a glance: cases waiting for a first invitation, cases out with
helpers, and the last batch rounds that took its cases (for the dashboard and the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q

from .models import BatchRound, Dispatch
from .states import DispatchState


@dataclass(frozen=True)
class RoundLine:
    """One batch round as a partner sees it: its own cases, and the round as a whole."""

    started_at: datetime
    cases: int  # the partner's cases the round took
    assigned: int  # of those, the ones it found a helper for
    round_cases: int  # every partner's cases in the round
    round_assigned: int
    round_case_by_case: int  # what case-by-case dispatch would have assigned of them
    milliseconds: int


@dataclass(frozen=True)
class PartnerDispatch:
    waiting: int  # open cases no helper has been invited to yet
    inviting: int  # open cases with invitations out
    batch_min: int  # from this many waiting cases on, a round assigns them together
    rounds: list[RoundLine]


def partner_dispatch_summary(*, partner_id: int, rounds: int = 5) -> PartnerDispatch:
    """Three queries, whatever the backlog's size."""
    active = Dispatch.objects.filter(partner_id=partner_id, state=DispatchState.ACTIVE)
    counts = active.aggregate(
        waiting=Count("pk", filter=Q(wave=0)), inviting=Count("pk", filter=Q(wave__gt=0))
    )
    mine = Q(dispatches__partner_id=partner_id)
    recent = (
        BatchRound.objects.filter(finished_at__isnull=False)
        .annotate(
            mine=Count("dispatches", filter=mine),
            mine_assigned=Count("dispatches", filter=mine & Q(dispatches__batch_assigned=True)),
        )
        .filter(mine__gt=0)
        .order_by("-started_at", "-id")[:rounds]
    )
    return PartnerDispatch(
        waiting=counts["waiting"],
        inviting=counts["inviting"],
        batch_min=int(settings.QUARTIER_DISPATCH_BATCH_MIN),
        rounds=[
            RoundLine(
                started_at=r.started_at,
                cases=r.mine,
                assigned=r.mine_assigned,
                round_cases=r.cases,
                round_assigned=r.assigned,
                round_case_by_case=r.case_by_case,
                milliseconds=r.milliseconds,
            )
            for r in recent
        ],
    )
