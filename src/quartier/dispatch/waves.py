"""The moving parts of a dispatch, used by services.py inside its transactions.

Lock order, everywhere: the request row, then the dispatch row, then invitation rows, then
the helpers' match-index counters, in one helper-id-ordered pass (`counter_batch`). Every
function here expects the caller to hold the dispatch row lock (`locked_dispatch`) in an open
transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from quartier.accounts.models import User
from quartier.errors import Conflict
from quartier.events import record_event
from quartier.jobs.models import JobRequest
from quartier.jobs.states import OPEN_FOR_OFFERS, RequestState
from quartier.matching.engine import Candidate, rank
from quartier.matching.selectors import explain_candidates, request_query
from quartier.matching.services import open_invitations_add

from .models import Dispatch, DispatchEvent, Invitation
from .notices import tell_invited
from .selectors import live_offer_count, offer_helper_ids, offers_since
from .states import (
    DeadlineAction,
    DispatchMode,
    DispatchState,
    InvitationSource,
    InvitationStatus,
    dispatch_can_move,
)

logger = logging.getLogger(__name__)

#: Each wave is 50% larger than the one before (3/2, kept in integers).
GROWTH = (3, 2)


def wave_size(wave: int) -> int:
    """How many helpers wave `wave` (1-based) invites: the base size, +50% per wave, capped."""
    base = int(settings.QUARTIER_DISPATCH_WAVE_SIZE)
    cap = int(settings.QUARTIER_DISPATCH_MAX_WAVE_SIZE)
    k = min(max(0, wave - 1), 16)  # past 16 waves any base has long reached the cap
    up: int = GROWTH[0] ** k
    down: int = GROWTH[1] ** k
    grown = -(-base * up // down)  # ceiling division
    return max(1, min(grown, cap))


def wave_interval() -> timedelta:
    return timedelta(minutes=settings.QUARTIER_DISPATCH_WAVE_MINUTES)


def deadline_for(request: JobRequest, now: datetime) -> datetime:
    """`LEAD_HOURS` before the window starts; but an urgent request still gets one full wave
    interval, and nothing runs past the end of the window."""
    lead = timedelta(hours=settings.QUARTIER_DISPATCH_LEAD_HOURS)
    return min(max(request.window_start - lead, now + wave_interval()), request.window_end)


#: A batch round's claim on its waiting cases lapses after this (a round that died midway).
BATCH_CLAIM_TIMEOUT = timedelta(minutes=5)


def batch_claimed(dispatch: Dispatch, now: datetime) -> bool:
    """Is a batch round (batch.py) assigning this waiting case right now?"""
    claimed = dispatch.batch_claimed_at
    return dispatch.wave == 0 and claimed is not None and claimed > now - BATCH_CLAIM_TIMEOUT


def locked_dispatch(dispatch_id: int) -> Dispatch | None:
    return Dispatch.objects.select_for_update().filter(pk=dispatch_id).first()


def locked_dispatch_for_request(request_id: int) -> Dispatch | None:
    return Dispatch.objects.select_for_update().filter(request_id=request_id).first()


def record(
    dispatch: Dispatch,
    kind: str,
    *,
    note: str = "",
    invitation: Invitation | None = None,
    actor: User | None = None,
) -> None:
    DispatchEvent.objects.create(
        dispatch=dispatch,
        kind=kind,
        wave=dispatch.wave,
        invitation=invitation,
        actor=actor,
        note=note[:200],
    )


def enqueue_after_commit(task: Any, *args: int, run_after: datetime | None = None) -> None:
    """Enqueue a dispatch task once the transaction commits.

    A failure to enqueue (queue down) is logged, not raised: the change is committed already
    and `dispatch_tick` picks up every due wave and deadline from the database anyway.
    """

    def enqueue() -> None:
        try:
            (task.using(run_after=run_after) if run_after else task).enqueue(*args)
        except Exception:
            logger.exception("could not enqueue %s%s; dispatch_tick will catch up", task, args)

    transaction.on_commit(enqueue)


# --- the open-invitations counter (fairness cap in the matcher) ------------------------------


_pending_moves: ContextVar[dict[int, int] | None] = ContextVar("counter_moves", default=None)


@contextmanager
def counter_batch() -> Iterator[None]:
    """Collect the counter moves of a block and apply them at its end, in one pass in
    helper-id order (inside the caller's transaction; not at all if the block raises).

    Every dispatch transaction locks match-index rows in that one order, so concurrent waves,
    settles and accepts cannot deadlock on them; moves that cancel out are not written.
    """
    if _pending_moves.get() is not None:  # nested: the outer batch applies them
        yield
        return
    moves: dict[int, int] = {}
    token = _pending_moves.set(moves)
    try:
        yield
    finally:
        _pending_moves.reset(token)
    _apply_moves(moves)


def counters_add(helper_ids: Iterable[int], delta: int) -> None:
    """Move each helper's open-invitations counter by `delta` (batched when in a batch)."""
    moves = _pending_moves.get()
    if moves is None:
        _apply_moves(dict.fromkeys(helper_ids, delta))
        return
    for helper_id in helper_ids:
        moves[helper_id] = moves.get(helper_id, 0) + delta


def _apply_moves(moves: dict[int, int]) -> None:
    """The counter is a PositiveSmallIntegerField: the database refuses to take it below 0.
    Each invitation adds 1 once when it opens and takes 1 once when it leaves `open` (guarded
    by the compare-and-set on its status), so that only happens when matching rebuilt the
    helper's index rows at 0 meanwhile; then there is nothing to give back, and the savepoint
    keeps the refusal from spoiling the caller's transaction."""
    for helper_id in sorted(moves):
        if not moves[helper_id]:
            continue
        try:
            with transaction.atomic():
                open_invitations_add(helper_id=helper_id, delta=moves[helper_id])
        except IntegrityError:
            logger.warning("open_invitations of helper %s already 0; left at 0", helper_id)


def close_invitations(
    dispatch: Dispatch,
    status: InvitationStatus,
    now: datetime,
    *,
    helper_ids: Iterable[int] | None = None,
    responded: bool = False,
) -> list[int]:
    """Move the dispatch's open invitations (optionally only these helpers') to `status`;
    returns the helpers whose invitation closed, and gives their counters back."""
    rows = Invitation.objects.select_for_update().filter(
        dispatch=dispatch, status=InvitationStatus.OPEN
    )
    if helper_ids is not None:
        rows = rows.filter(helper_id__in=list(helper_ids))
    locked = list(rows.order_by("pk").values_list("pk", "helper_id", "source"))
    helpers = [helper_id for _, helper_id, _ in locked]
    if locked:
        changes: dict[str, Any] = {"status": status, "closed_at": now}
        if responded:
            changes["responded_at"] = now
        pks = [pk for pk, _, _ in locked]
        Invitation.objects.filter(pk__in=pks, status=InvitationStatus.OPEN).update(**changes)
    # Only wave invitations count towards the fairness cap (direct ones never did).
    counters_add([h for _, h, source in locked if source == InvitationSource.WAVE], -1)
    return helpers


# --- ending a dispatch ------------------------------------------------------------------------


def finish(
    dispatch: Dispatch,
    target: DispatchState,
    now: datetime,
    *,
    note: str,
    invitations_become: InvitationStatus = InvitationStatus.CLOSED,
    actor: User | None = None,
) -> None:
    """active -> `target` (compare-and-set), closing every open invitation."""
    if not dispatch_can_move(DispatchState.ACTIVE, target):
        raise ValueError(f"transition map forbids active -> {target}")
    moved = Dispatch.objects.filter(pk=dispatch.pk, state=DispatchState.ACTIVE).update(
        state=target, next_wave_at=None, updated_at=now
    )
    if moved != 1:
        raise Conflict(f"This dispatch is {dispatch.state}.", code="dispatch_closed")
    dispatch.state, dispatch.next_wave_at = target, None
    closed = close_invitations(dispatch, invitations_become, now)
    suffix = f"; {len(closed)} open invitation(s) {invitations_become}" if closed else ""
    record(dispatch, str(target), note=note + suffix, actor=actor)


def settle(dispatch: Dispatch, request: JobRequest, now: datetime) -> bool:
    """Catch up with what happened outside dispatch; True when the dispatch has ended.

    Invited helpers who quoted have answered (`accepted`). A request that was booked (by any
    offer) or moved on ends the dispatch `satisfied`; a cancelled one `cancelled`. In quotes
    mode, reaching the quotes cap ends it `satisfied`, closing the remaining invitations.
    """
    quoted = close_invitations(
        dispatch,
        InvitationStatus.ACCEPTED,
        now,
        helper_ids=offer_helper_ids(request_id=request.pk),
        responded=True,
    )
    if quoted:
        record(dispatch, "quoted", note=f"invited helpers {quoted} made offers")
    if request.state == RequestState.CANCELLED:
        finish(dispatch, DispatchState.CANCELLED, now, note="the request was cancelled")
        return True
    if request.state not in OPEN_FOR_OFFERS:
        finish(dispatch, DispatchState.SATISFIED, now, note=f"the request is {request.state}")
        return True
    if dispatch.mode == DispatchMode.QUOTES:
        quotes = live_offer_count(request_id=request.pk)
        if quotes >= settings.QUARTIER_DISPATCH_MAX_QUOTES:
            finish(dispatch, DispatchState.SATISFIED, now, note=f"{quotes} quotes: cap reached")
            return True
    return False


def reach_deadline(dispatch: Dispatch, request: JobRequest, now: datetime) -> None:
    """Stop inviting. With offers in hand the customer chooses (`satisfied`); with none, a
    public request is `exhausted` and its customer told by e-mail, a partner case
    `escalated` (handed back to the partner)."""
    from .tasks import dispatch_notify_customer

    if live_offer_count(request_id=request.pk):
        finish(
            dispatch,
            DispatchState.SATISFIED,
            now,
            note="deadline: the customer has offers to choose from",
            invitations_become=InvitationStatus.EXPIRED,
        )
    elif dispatch.on_deadline == DeadlineAction.ESCALATE:
        escalate(dispatch, now, note="deadline passed without an offer")
        # The partners context moves the case to escalated and tells the partner.
        record_event(
            "dispatch.deadline_escalated",
            request_id=request.pk,
            note="SLA deadline passed without an offer",
        )
    else:
        finish(
            dispatch,
            DispatchState.EXHAUSTED,
            now,
            note="deadline passed without an offer",
            invitations_become=InvitationStatus.EXPIRED,
        )
        enqueue_after_commit(dispatch_notify_customer, dispatch.pk)


def escalate(dispatch: Dispatch, now: datetime, *, note: str, actor: User | None = None) -> None:
    """Stop inviting: the case goes back to the partner's own technicians."""
    finish(
        dispatch,
        DispatchState.ESCALATED,
        now,
        note=note,
        invitations_become=InvitationStatus.EXPIRED,
        actor=actor,
    )


# --- sending a wave ---------------------------------------------------------------------------


def invite_next(dispatch: Dispatch, request: JobRequest, now: datetime) -> int:
    """Invite the next helpers down the ranking, skipping everyone invited before and everyone
    who already made an offer; returns how many were invited (0: nobody new in reach)."""
    wave = dispatch.wave + 1
    size = wave_size(wave)
    already = set(Invitation.objects.filter(dispatch=dispatch).values_list("helper_id", flat=True))
    exclude = already | offer_helper_ids(request_id=request.pk)
    candidates = rank(request_query(request, limit=size, exclude=exclude))
    if not candidates:
        return 0
    return invite(dispatch, request, candidates, now, invited_before=len(already))


def invite(
    dispatch: Dispatch,
    request: JobRequest,
    candidates: list[Candidate],
    now: datetime,
    *,
    invited_before: int,
) -> int:
    """Send the next wave to these ranked helpers: invitations, counters, notices, event."""
    wave = dispatch.wave + 1
    matches = explain_candidates(candidates, skill_id=request.skill_id)
    with translation.override("en"):  # the stored sentence is for the back office
        sentences = [match.explanation for match in matches]
    Invitation.objects.bulk_create(
        Invitation(
            dispatch=dispatch,
            helper_id=match.helper_id,
            wave=wave,
            rank=invited_before + position,
            score=round(match.candidate.score, 6),
            explanation=sentence,
            facts=match.facts,
        )
        for position, (match, sentence) in enumerate(zip(matches, sentences, strict=True), 1)
    )
    counters_add([match.helper_id for match in matches], +1)
    dispatch.wave, dispatch.last_wave_at = wave, now
    tell_invited(request, [match.helper_id for match in matches])
    record_event(
        "dispatch.invited",
        request_id=request.pk,
        wave=wave,
        invited=len(matches),
        helper_ids=[match.helper_id for match in matches],
    )
    return len(matches)


def schedule_next(dispatch: Dispatch, now: datetime) -> None:
    """The next wave is due one interval from now, unless the deadline comes first."""
    from .tasks import dispatch_next_wave

    due = now + wave_interval()
    dispatch.next_wave_at = due if due < dispatch.deadline_at else None
    Dispatch.objects.filter(pk=dispatch.pk).update(
        wave=dispatch.wave,
        last_wave_at=dispatch.last_wave_at,
        next_wave_at=dispatch.next_wave_at,
        updated_at=now,
    )
    if dispatch.next_wave_at is not None:
        enqueue_after_commit(
            dispatch_next_wave, dispatch.pk, dispatch.wave, run_after=dispatch.next_wave_at
        )


def run_wave(dispatch: Dispatch, request: JobRequest, now: datetime) -> int:
    """One due wave for a locked, active dispatch whose deadline has not passed."""
    if dispatch.wave and offers_since(request_id=request.pk, since=now - wave_interval()):
        # Offers are arriving: widen only after a whole interval without a new one.
        schedule_next(dispatch, now)
        record(dispatch, "wave_postponed", note="an offer arrived within the last interval")
        return 0
    invited = invite_next(dispatch, request, now)
    schedule_next(dispatch, now)
    if invited:
        record(dispatch, "wave", note=f"invited {invited} (wave size {wave_size(dispatch.wave)})")
    elif dispatch.events.order_by("-pk").values_list("kind", flat=True).first() != "wave_empty":
        record(dispatch, "wave_empty", note="nobody new in reach; trying again every interval")
    return invited
