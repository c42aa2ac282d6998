"""Batch dispatch: when many fixed-price partner cases wait for their first wave at once (a
partner's backlog, a storm), one round assigns them together instead of case by case.

Case by case, the first case to be dispatched takes the best helper nearby, even when a later
case had nobody else; and a popular helper is invited to many cases at once. A round instead
solves one minimum-cost bipartite matching over every waiting case (`matching.assignment`):
as many cases as possible get a helper, then the most summed score, and no helper gets more
cases than `QUARTIER_DISPATCH_BATCH_PER_HELPER` (1: one person, one place) and never more than
their free invitation slots (`QUARTIER_MAX_OPEN_INVITATIONS` less the invitations they hold
open: the fairness cap the waves already keep).

How a round turns into the dispatch steps the product already has:

* the assigned helper gets the case's first wave, alone: one ordinary wave invitation (rank 1),
  which they accept at the fixed price (booked at once) or decline like any other;
* declining costs them nothing (nothing ranking reads is written) and, as nobody else holds
  an invitation, the next wave goes out at once, down the ranking without them; no answer
  within `QUARTIER_DISPATCH_WAVE_MINUTES` widens the same way;
* a case the round could not place goes on case by case at once (its first ordinary wave);
* the dispatch row, its SLA deadline and the escalation at the deadline are untouched, and the
  partner's webhooks follow the case's state as before.

Concurrency: the round first *claims* its cases (`batch_claimed_at`, in one transaction, rows
locked with SKIP LOCKED on PostgreSQL; SQLite serialises writers), so two workers' rounds
never share a case, and a wave (`dispatch_wave`) leaves a claimed case alone. Each case is
then invited in its own transaction under the dispatch row lock, only while it is still
active, at wave 0 and claimed by this round. A claim lapses after `BATCH_CLAIM_TIMEOUT`
(a round that died midway), after which the case is dispatched again (batch or wave).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from quartier.jobs.models import JobRequest
from quartier.matching.assignment import (
    OpenJob,
    assign,
    assign_one_by_one,
    engine_candidates,
)
from quartier.matching.engine import Candidate
from quartier.matching.pools import pool_helper_ids_for_requests

from . import waves
from .models import BatchRound, Dispatch, Invitation
from .states import DispatchMode, DispatchState, InvitationSource, InvitationStatus

logger = logging.getLogger(__name__)

#: Waiting cases one round takes at most (the oldest SLA first); the rest wait for the next.
BATCH_LIMIT = 2000
#: Candidates per case the assignment chooses from. Cases at one spot share their best
#: helpers, so a storm needs more than the few a wave invites (20 left 60 of 100 cases at five
#: Zürich postcodes unplaced with 80 helpers free).
CANDIDATES_PER_CASE = 50


def waiting(now: datetime) -> QuerySet[Dispatch]:
    """Fixed-price partner cases whose first wave is due and that no live round has claimed."""
    return Dispatch.objects.filter(
        state=DispatchState.ACTIVE,
        mode=DispatchMode.FIXED_PRICE,
        partner_id__isnull=False,
        wave=0,
        next_wave_at__lte=now,
        deadline_at__gt=now,
    ).filter(
        Q(batch_claimed_at__isnull=True) | Q(batch_claimed_at__lte=now - waves.BATCH_CLAIM_TIMEOUT)
    )


def is_batchable(dispatch: Dispatch) -> bool:
    """Could this dispatch be part of a batch (a fixed-price partner case before any wave)?"""
    return (
        settings.QUARTIER_DISPATCH_BATCH_MIN > 0
        and dispatch.mode == DispatchMode.FIXED_PRICE
        and dispatch.partner_id is not None
        and dispatch.wave == 0
    )


def batch_tick_step(*, now: datetime) -> int:
    """The worker tick's step: a round if enough cases wait; how many it assigned."""
    batch = dispatch_batch_round(now=now)
    return batch.assigned if batch else 0


def dispatch_batch_round(
    *, now: datetime | None = None, limit: int = BATCH_LIMIT
) -> BatchRound | None:
    """Assign the waiting fixed-price partner cases together, if at least
    `QUARTIER_DISPATCH_BATCH_MIN` wait; returns the round (None: no round ran)."""
    now = now or timezone.now()
    minimum = int(settings.QUARTIER_DISPATCH_BATCH_MIN)
    if minimum <= 0 or waiting(now)[:minimum].count() < minimum:
        return None
    started = time.perf_counter()
    batch, claimed = _claim(now, limit, minimum)
    if batch is None:
        return None
    try:
        _assign(batch, claimed, now)
    finally:
        # Whatever was not invited is released and goes on case by case.
        Dispatch.objects.filter(batch_round=batch, batch_claimed_at__isnull=False).update(
            batch_claimed_at=None, batch_assigned=False
        )
        batch.finished_at = timezone.now()
        batch.milliseconds = round((time.perf_counter() - started) * 1000)
        batch.save(update_fields=["finished_at", "milliseconds"])
    _dispatch_leftovers(batch, now)
    return batch


def _claim(now: datetime, limit: int, minimum: int) -> tuple[BatchRound | None, list[int]]:
    with transaction.atomic():
        rows = waiting(now).select_for_update(skip_locked=True).order_by("deadline_at", "pk")
        ids = list(rows.values_list("pk", flat=True)[:limit])
        if len(ids) < minimum:  # another round took them meanwhile
            return None, []
        batch = BatchRound.objects.create(started_at=now, cases=len(ids))
        Dispatch.objects.filter(pk__in=ids).update(
            batch_round=batch, batch_claimed_at=now, batch_assigned=None
        )
    return batch, ids


def _assign(batch: BatchRound, claimed: list[int], now: datetime) -> None:
    dispatches = list(
        Dispatch.objects.filter(pk__in=claimed)
        .select_related("request")
        .order_by("deadline_at", "pk")
    )
    cases, candidates = open_jobs(dispatches, now)
    capacity = free_slots({c.helper_id for pool in candidates.values() for c in pool})
    together = assign(cases, candidates, capacity)
    one_by_one = assign_one_by_one(cases, candidates, capacity)
    chosen = {(case_id, c.helper_id): c for case_id, pool in candidates.items() for c in pool}
    assigned = 0
    for dispatch_id, helper_id in together.pairs:
        assigned += _invite_assigned(batch, dispatch_id, chosen[dispatch_id, helper_id], now)
    batch.assigned = assigned
    batch.case_by_case = len(one_by_one.pairs)
    batch.score = -together.total_cost
    batch.case_by_case_score = -one_by_one.total_cost
    batch.save(update_fields=["assigned", "case_by_case", "score", "case_by_case_score"])


def open_jobs(
    dispatches: Sequence[Dispatch], now: datetime
) -> tuple[list[OpenJob], dict[int, list[Candidate]]]:
    """The waiting cases as the assignment sees them (id = the dispatch's), and each one's
    best available candidates (never the case's own customer)."""
    pools = pool_helper_ids_for_requests([d.request_id for d in dispatches])
    cases = [
        OpenJob(
            id=d.pk,
            latitude=d.request.latitude,
            longitude=d.request.longitude,
            skill_id=d.request.skill_id,
            window_start=max(d.request.window_start, now),
            window_end=d.request.window_end,
            qualified_helper_ids=pools[d.request_id],
        )
        for d in dispatches
    ]
    candidates = engine_candidates(cases, per_case=CANDIDATES_PER_CASE)
    customers = {d.pk: d.request.customer_id for d in dispatches}
    return cases, {
        case_id: [c for c in pool if c.helper_id != customers[case_id]]
        for case_id, pool in candidates.items()
    }


def free_slots(helper_ids: set[int]) -> dict[int, int]:
    """Each helper's cases in this round: `QUARTIER_DISPATCH_BATCH_PER_HELPER`, but never
    more than their free invitation slots under the fairness cap (open wave invitations)."""
    cap = int(settings.QUARTIER_MAX_OPEN_INVITATIONS)
    per_round = int(settings.QUARTIER_DISPATCH_BATCH_PER_HELPER)
    held = dict(
        Invitation.objects.filter(
            helper_id__in=list(helper_ids),
            status=InvitationStatus.OPEN,
            source=InvitationSource.WAVE,
        )
        .values("helper_id")
        .annotate(n=Count("pk"))
        .values_list("helper_id", "n")
    )
    return {h: max(0, min(per_round, cap - held.get(h, 0))) for h in helper_ids}


def _invite_assigned(
    batch: BatchRound, dispatch_id: int, candidate: Candidate, now: datetime
) -> bool:
    """The case's first wave: its assigned helper alone. False when the case moved on."""
    with transaction.atomic(), waves.counter_batch():
        dispatch = waves.locked_dispatch(dispatch_id)
        if (
            dispatch is None
            or dispatch.state != DispatchState.ACTIVE
            or dispatch.batch_round_id != batch.pk
            or not waves.batch_claimed(dispatch, now)
        ):
            return False
        request = JobRequest.objects.get(pk=dispatch.request_id)
        if waves.settle(dispatch, request, now) or now >= dispatch.deadline_at:
            return False  # ended, or the deadline step ends it
        waves.invite(dispatch, request, [candidate], now, invited_before=0)
        waves.schedule_next(dispatch, now)
        Dispatch.objects.filter(pk=dispatch.pk).update(batch_assigned=True, batch_claimed_at=None)
        waves.record(
            dispatch,
            "batch_assigned",
            note=f"batch round #{batch.pk}: helper {candidate.helper_id} of {batch.cases} cases",
        )
    return True


def _dispatch_leftovers(batch: BatchRound, now: datetime) -> None:
    """Cases the round found nobody for go on case by case: their first ordinary wave now."""
    from .services import dispatch_wave

    left = Dispatch.objects.filter(
        batch_round=batch, batch_assigned=False, wave=0, state=DispatchState.ACTIVE
    ).values_list("pk", flat=True)
    for dispatch_id in left:
        try:
            dispatch_wave(dispatch_id=dispatch_id, expected_wave=0, now=now)
        except Exception:
            logger.exception("dispatch %s: first wave after a batch round failed", dispatch_id)
