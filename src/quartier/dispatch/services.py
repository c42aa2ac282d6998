"""Dispatch waves: invite the best helpers for a new request, widening until it is served.

`dispatch_for_request` starts a dispatch when a request is posted. The first wave invites
the top `QUARTIER_DISPATCH_WAVE_SIZE` helpers from the matcher. Whenever a whole
`QUARTIER_DISPATCH_WAVE_MINUTES` passes without a new offer, the next wave invites the next
helpers down the ranking (everyone invited before is excluded; each wave is 50% larger; the
matcher already respects each helper's own radius and the open-invitations fairness cap).

Two modes. *quotes* (public requests): helpers answer with an offer through the bookings API;
once `QUARTIER_DISPATCH_MAX_QUOTES` offers are in, the remaining invitations close and no
more waves go out. *fixed_price* (partner services): the first invited helper to accept is
booked at the fixed price, in one transaction; concurrent accepts get 409.

At the deadline (the window's start minus `QUARTIER_DISPATCH_LEAD_HOURS`, or a partner's SLA
passed as `deadline_at`) dispatch stops: a public request without offers is `exhausted` and
its customer gets an e-mail; a partner case is `escalated`.

Timing does not depend on the queue: every wave and deadline is also enqueued as a deferred
task, but `dispatch_tick` (a registered tick: `quartier worker` runs it every
`QUARTIER_TICK_SECONDS`) runs whatever is due from the database. Both paths are idempotent:
a wave runs only if the dispatch is still active, still at the expected wave, and it is due.

Declining never lowers a helper's rank: nothing here writes anything ranking reads; only
the open-invitations counter moves, and it goes down when an invitation closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_if_operator
from quartier.bookings.models import Booking
from quartier.bookings.offer_terms import OfferTerms
from quartier.bookings.services import offer_accept_on_posted_terms, offer_create
from quartier.errors import Conflict, NotFound
from quartier.events import record_event
from quartier.jobs.models import JobRequest
from quartier.jobs.states import OPEN_FOR_OFFERS

from . import selectors, waves
from .models import Dispatch, Invitation
from .selectors import get_invitation_for
from .states import DispatchMode, DispatchState, InvitationSource, InvitationStatus
from .terms import QUOTES, DispatchTerms, fixed_slot

logger = logging.getLogger(__name__)

TICK_LIMIT = 500  # dispatches of each kind handled per tick; the rest wait for the next one


def dispatch_for_request(*, request_id: int, terms: DispatchTerms = QUOTES) -> Dispatch:
    """Start dispatching a request that takes offers on `terms`; idempotent (one dispatch
    per request).

    Call it inside the transaction that creates the request: the first wave and the deadline
    are enqueued when it commits. Partner cases pass fixed-price terms with their SLA as the
    deadline and escalation when it passes.
    """
    mode, fixed_price_minor = terms.checked()
    from .tasks import dispatch_deadline, dispatch_start

    with transaction.atomic():
        existing = Dispatch.objects.filter(request_id=request_id).first()
        if existing is not None:
            return existing
        request = JobRequest.objects.filter(pk=request_id).first()
        if request is None:
            raise NotFound("No such request.")
        if request.state not in OPEN_FOR_OFFERS:
            raise Conflict("This request no longer takes offers.", code="illegal_state")
        now = timezone.now()
        try:
            with transaction.atomic():
                dispatch = Dispatch.objects.create(
                    request=request,
                    mode=mode,
                    fixed_price_minor=fixed_price_minor,
                    fixed_duration_minutes=terms.fixed_duration_minutes,
                    on_deadline=terms.on_deadline,
                    partner_id=terms.partner_id,
                    partner_share_minor=terms.partner_share_minor,
                    visit_fee_minor=terms.visit_fee_minor,
                    next_wave_at=now,
                    deadline_at=terms.deadline_at or waves.deadline_for(request, now),
                )
        except IntegrityError:  # created concurrently: that one stands
            return Dispatch.objects.get(request_id=request_id)
        waves.record(
            dispatch, "created", note=f"{mode} until {dispatch.deadline_at:%Y-%m-%d %H:%M}"
        )
        waves.enqueue_after_commit(dispatch_start, request.pk)
        waves.enqueue_after_commit(dispatch_deadline, dispatch.pk, run_after=dispatch.deadline_at)
    return dispatch


def dispatch_wave(*, dispatch_id: int, expected_wave: int, now: datetime | None = None) -> int:
    """Send the next wave if it is due; returns how many helpers were invited.

    Safe to run twice: does nothing unless the dispatch is active, still at `expected_wave`
    and its next wave is due. Ends the dispatch instead when the request moved on, the quotes
    are in, or the deadline passed.
    """
    now = now or timezone.now()
    with transaction.atomic(), waves.counter_batch():
        dispatch = waves.locked_dispatch(dispatch_id)
        if dispatch is None or dispatch.state != DispatchState.ACTIVE:
            return 0
        if dispatch.wave != expected_wave or not dispatch.next_wave_at:
            return 0
        if waves.batch_claimed(dispatch, now):  # a batch round is assigning it right now
            return 0
        if dispatch.next_wave_at > now:
            return 0
        request = JobRequest.objects.get(pk=dispatch.request_id)
        if waves.settle(dispatch, request, now):
            return 0
        if now >= dispatch.deadline_at:
            waves.reach_deadline(dispatch, request, now)
            return 0
        return waves.run_wave(dispatch, request, now)


def dispatch_first_wave(*, request_id: int, now: datetime | None = None) -> int:
    """The first wave of a request's dispatch (what the `dispatch_start` task runs)."""
    from .batch import dispatch_batch_round, is_batchable

    dispatch = Dispatch.objects.filter(request_id=request_id).first()
    if dispatch is None:
        return 0
    if is_batchable(dispatch):  # part of a backlog? then a round takes them all together
        dispatch_batch_round(now=now)
    return dispatch_wave(dispatch_id=dispatch.pk, expected_wave=0, now=now)


def dispatch_deadline_reach(*, dispatch_id: int, now: datetime | None = None) -> bool:
    """Stop the dispatch if its deadline has passed; True when it stopped now."""
    now = now or timezone.now()
    request_id = Dispatch.objects.filter(pk=dispatch_id).values_list("request_id", flat=True)
    with transaction.atomic(), waves.counter_batch():
        # The request first, then the dispatch: the order invitation_accept takes them in, so
        # an accept at the very deadline and the escalation (which moves the request) queue
        # instead of deadlocking.
        request = JobRequest.objects.select_for_update().filter(pk__in=request_id).first()
        dispatch = waves.locked_dispatch(dispatch_id)
        if request is None or dispatch is None or dispatch.state != DispatchState.ACTIVE:
            return False
        if dispatch.deadline_at > now:
            return False
        if not waves.settle(dispatch, request, now):
            waves.reach_deadline(dispatch, request, now)
        return True


def dispatch_settle(*, dispatch_id: int, now: datetime | None = None) -> bool:
    """Catch up with offers, bookings and cancellations; True when the dispatch ended."""
    now = now or timezone.now()
    with transaction.atomic(), waves.counter_batch():
        dispatch = waves.locked_dispatch(dispatch_id)
        if dispatch is None or dispatch.state != DispatchState.ACTIVE:
            return False
        request = JobRequest.objects.get(pk=dispatch.request_id)
        return waves.settle(dispatch, request, now)


def dispatch_sync(*, request_id: int) -> bool:
    """For other contexts, after an offer, a booking or a cancellation on the request has
    committed: close what must close now rather than at the next tick."""
    dispatch = Dispatch.objects.filter(request_id=request_id).only("pk").first()
    return dispatch is not None and dispatch_settle(dispatch_id=dispatch.pk)


def dispatch_escalate(*, dispatch_id: int, actor: User | None = None, note: str = "") -> Dispatch:
    """Hand a dispatch back to its partner (the hook for partner cases; see waves.escalate)."""
    with transaction.atomic(), waves.counter_batch():
        dispatch = waves.locked_dispatch(dispatch_id)
        if dispatch is None:
            raise NotFound("No such dispatch.")
        if dispatch.state != DispatchState.ACTIVE:
            raise Conflict(f"This dispatch is {dispatch.state}.", code="dispatch_closed")
        waves.escalate(dispatch, timezone.now(), note=note or "escalated", actor=actor)
        record_if_operator(actor, "dispatch.escalate", dispatch, note)  # an operator's override
    return dispatch


def dispatch_cancel(*, dispatch_id: int, actor: User | None = None, note: str = "") -> Dispatch:
    """Stop dispatching (an operator's decision); the request itself stays as it is."""
    with transaction.atomic(), waves.counter_batch():
        dispatch = waves.locked_dispatch(dispatch_id)
        if dispatch is None:
            raise NotFound("No such dispatch.")
        if dispatch.state != DispatchState.ACTIVE:
            raise Conflict(f"This dispatch is {dispatch.state}.", code="dispatch_closed")
        waves.finish(
            dispatch, DispatchState.CANCELLED, timezone.now(), note=note or "cancelled", actor=actor
        )
        record_if_operator(actor, "dispatch.cancel", dispatch, note)  # an operator's override
    return dispatch


# --- helpers answer ------------------------------------------------------------------------


def invitation_decline(*, actor: User, invitation_id: int) -> Invitation:
    """The helper turns the job down. It costs them nothing: their rank is untouched.

    When every invitation of the dispatch has been answered and none is left open, the next
    wave goes out now instead of after the rest of the interval.
    """
    from .tasks import dispatch_next_wave

    invitation = get_invitation_for(actor, invitation_id)
    if invitation.helper_id != actor.pk:
        raise NotFound("No such invitation.")
    now = timezone.now()
    with transaction.atomic(), waves.counter_batch():
        dispatch = waves.locked_dispatch(invitation.dispatch_id)
        assert dispatch is not None  # the invitation cascades with it
        declined = Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.OPEN).update(
            status=InvitationStatus.DECLINED, responded_at=now, closed_at=now
        )
        if declined != 1:
            invitation.refresh_from_db()
            raise Conflict(f"This invitation is {invitation.status}.", code="invitation_not_open")
        if invitation.source == InvitationSource.WAVE:  # direct ones do not count
            waves.counters_add([actor.pk], -1)
        invitation.refresh_from_db()
        waves.record(dispatch, "declined", invitation=invitation, actor=actor)
        nobody_open = not dispatch.invitations.filter(status=InvitationStatus.OPEN).exists()
        if dispatch.state == DispatchState.ACTIVE and nobody_open and dispatch.next_wave_at:
            if dispatch.next_wave_at > now:
                Dispatch.objects.filter(pk=dispatch.pk).update(next_wave_at=now, updated_at=now)
            waves.enqueue_after_commit(dispatch_next_wave, dispatch.pk, dispatch.wave)
    return invitation


def invitation_accept(
    *, actor: User, invitation_id: int, proposed_start: datetime | None = None
) -> Booking:
    """Fixed-price mode: the helper takes the job and is booked, all in one transaction.

    The offer is made for the helper at the fixed price and accepted on the customer's behalf
    (bookings.offer_create + offer_accept). The dispatch row is locked first: of concurrent
    accepts exactly one wins; the others get 409 `already_taken`. In quotes mode helpers
    answer with an offer instead (409 `quote_required`).
    """
    invitation = get_invitation_for(actor, invitation_id)
    if invitation.helper_id != actor.pk:
        raise NotFound("No such invitation.")
    if invitation.dispatch.mode != DispatchMode.FIXED_PRICE:
        raise Conflict(
            "This request takes quotes: make an offer with "
            f"POST /requests/{invitation.dispatch.request_id}/offers.",
            code="quote_required",
        )
    now = timezone.now()
    with transaction.atomic():
        request = JobRequest.objects.select_for_update().get(pk=invitation.dispatch.request_id)
        # Counters move before booking: booking refreshes the helper's match-index rows, and
        # taking those row locks in the batch's one helper-id-ordered pass first keeps this
        # from deadlocking with a concurrent wave.
        with waves.counter_batch():
            dispatch = _take(invitation, actor, now)
        start, end = fixed_slot(dispatch, request, now)
        if proposed_start is not None:
            start, end = proposed_start, proposed_start + (end - start)
        assert dispatch.fixed_price_minor is not None  # the database holds fixed mode to it
        offer = offer_create(
            actor=actor,
            request_id=request.pk,
            price_minor=dispatch.fixed_price_minor,
            proposed_start=start,
            proposed_end=end,
            message="Accepted the fixed-price job from a Quartier invitation.",
            tell_customer=False,  # booked at once: "booked" tells them
            terms=OfferTerms(
                partner_id=dispatch.partner_id,
                partner_share_minor=dispatch.partner_share_minor,
                visit_fee_minor=dispatch.visit_fee_minor,
            ),
        )
        booking = offer_accept_on_posted_terms(offer_id=offer.pk)
        invitation.refresh_from_db()
        waves.record(
            dispatch, "accepted", invitation=invitation, actor=actor, note=f"booking #{booking.pk}"
        )
    return booking


def _take(invitation: Invitation, actor: User, now: datetime) -> Dispatch:
    """Inside the counter batch: lock the dispatch, close the helper's invitation as
    accepted and the dispatch as satisfied; Conflict when someone else was first."""
    dispatch = waves.locked_dispatch(invitation.dispatch_id)
    assert dispatch is not None  # the invitation cascades with it
    if dispatch.state != DispatchState.ACTIVE:
        if dispatch.state == DispatchState.SATISFIED:
            raise Conflict("Another helper accepted this job first.", code="already_taken")
        raise Conflict(f"This job is no longer offered ({dispatch.state}).", code="dispatch_closed")
    accepted = Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.OPEN).update(
        status=InvitationStatus.ACCEPTED, responded_at=now, closed_at=now
    )
    if accepted != 1:
        invitation.refresh_from_db()
        raise Conflict(f"This invitation is {invitation.status}.", code="invitation_not_open")
    waves.counters_add([actor.pk], -1)
    waves.finish(
        dispatch, DispatchState.SATISFIED, now, note=f"invitation #{invitation.pk} accepted"
    )
    return dispatch


# --- the customer is told -------------------------------------------------------------------


def dispatch_customer_notify(*, dispatch_id: int) -> bool:
    """Tell the customer of an exhausted dispatch that nobody offered, at most once: the
    flag is set in the same transaction that records the `dispatch.exhausted` event, which
    the notifications context turns into an inbox entry and an e-mail (after commit)."""
    now = timezone.now()
    with transaction.atomic():
        flagged = Dispatch.objects.filter(
            pk=dispatch_id, state=DispatchState.EXHAUSTED, customer_notified_at__isnull=True
        ).update(customer_notified_at=now)
        if flagged != 1:
            return False
        dispatch = Dispatch.objects.select_related("request__customer").get(pk=dispatch_id)
        customer = dispatch.request.customer
        if customer is None:  # a partner's unconfirmed contact: the partner tells them
            return False
        waves.record(dispatch, "customer_notified", note=customer.email)
        record_event(
            "dispatch.exhausted",
            request_id=dispatch.request_id,
            dispatch_id=dispatch.pk,
            customer_id=customer.pk,
        )
    return True


# --- the periodic tick ----------------------------------------------------------------------


@dataclass
class TickReport:
    settled: int = 0
    deadlines: int = 0
    waves: int = 0
    invited: int = 0
    batched: int = 0  # waiting cases a batch round assigned together
    failed: int = 0

    def __bool__(self) -> bool:  # something happened (the worker logs it)
        return bool(self.settled or self.deadlines or self.waves or self.batched or self.failed)


def dispatch_tick(*, now: datetime | None = None, limit: int = TICK_LIMIT) -> TickReport:
    """Run everything that is due, straight from the database: settle dispatches whose
    request moved on, stop those past their deadline, send due waves. Each dispatch in its
    own transaction; one failure is logged and counted, the others go on."""
    now = now or timezone.now()
    report = TickReport()
    for dispatch_id in selectors.dispatches_to_settle(limit=limit):
        step = partial(dispatch_settle, dispatch_id=dispatch_id, now=now)
        report.settled += int(bool(_guarded(report, dispatch_id, step)))
    for dispatch_id in selectors.dispatches_past_deadline(now=now, limit=limit):
        step = partial(dispatch_deadline_reach, dispatch_id=dispatch_id, now=now)
        report.deadlines += int(bool(_guarded(report, dispatch_id, step)))
    from .batch import batch_tick_step  # many cases waiting for a first wave: one round

    report.batched = int(_guarded(report, 0, partial(batch_tick_step, now=now)))
    for dispatch_id, wave in selectors.dispatches_with_wave_due(now=now, limit=limit):
        wave_step = partial(dispatch_wave, dispatch_id=dispatch_id, expected_wave=wave, now=now)
        report.waves += 1
        report.invited += int(_guarded(report, dispatch_id, wave_step))
    return report


def _guarded(report: TickReport, dispatch_id: int, step: Callable[[], bool | int]) -> bool | int:
    try:
        return step()
    except Exception:
        logger.exception("dispatch %s: tick step failed", dispatch_id)
        report.failed += 1
        return False


def on_request_changed(sender: object, request_id: int, **kwargs: object) -> None:
    """An offer, booking or cancellation committed: settle the dispatch now, not at the tick."""
    dispatch_sync(request_id=request_id)
