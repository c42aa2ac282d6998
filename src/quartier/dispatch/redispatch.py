"""Back to dispatch when the booked helper cancels (bookings/cancellation.py) or checks out
of a public job without a fix (bookings/unfixed.py).

The request is `requested` again; its dispatch, which the booking had ended (`satisfied`,
or `exhausted` for a late offer), becomes active with its next wave due at once and a
deadline no earlier than a new request's. Helpers invited before are not invited again
(one invitation per helper and dispatch), nor is the helper who cancelled (their offer
stays on the request). A request that was never dispatched starts a public dispatch.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from quartier.events import handles
from quartier.jobs.models import JobRequest
from quartier.jobs.states import OPEN_FOR_OFFERS

from . import waves
from .models import Dispatch
from .services import dispatch_for_request
from .states import DispatchState, dispatch_can_move


def dispatch_reopen(
    *, request_id: int, now: datetime | None = None, note: str = "the booked helper cancelled"
) -> Dispatch | None:
    """Restart the waves of a request that is open for offers again: the next wave is due
    now (running it twice is harmless: waves check what is due). None when the request
    moved on meanwhile or its dispatch ended for good (cancelled, escalated)."""
    from .tasks import dispatch_deadline, dispatch_next_wave

    now = now or timezone.now()
    with transaction.atomic():
        request = JobRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.state not in OPEN_FOR_OFFERS:
            return None
        dispatch = waves.locked_dispatch_for_request(request_id)
        if dispatch is None:
            return dispatch_for_request(request_id=request_id)
        active = dispatch.state == DispatchState.ACTIVE  # not yet settled by the booking
        if not active and not dispatch_can_move(dispatch.state, DispatchState.ACTIVE):
            return None
        deadline = max(dispatch.deadline_at, waves.deadline_for(request, now))
        Dispatch.objects.filter(pk=dispatch.pk, state=dispatch.state).update(
            state=DispatchState.ACTIVE, next_wave_at=now, deadline_at=deadline, updated_at=now
        )
        dispatch.refresh_from_db()
        waves.record(dispatch, "redispatched", note=note)
        waves.enqueue_after_commit(dispatch_next_wave, dispatch.pk, dispatch.wave)
        waves.enqueue_after_commit(dispatch_deadline, dispatch.pk, run_after=deadline)
    return dispatch


@handles("booking.cancelled", name="dispatch.redispatch")
def on_booking_cancelled(event: Any) -> None:
    """A helper's cancellation sends the request back to dispatch."""
    if event.payload.get("redispatched"):
        dispatch_reopen(request_id=int(event.payload["request_id"]))


@handles("booking.not_fixed", name="dispatch.redispatch_not_fixed")
def on_booking_not_fixed(event: Any) -> None:
    """The helper could not fix a public job: it goes back to dispatch (a partner's case
    goes to its technicians instead, and is not marked `redispatched`)."""
    if event.payload.get("redispatched"):
        dispatch_reopen(
            request_id=int(event.payload["request_id"]),
            note="the booked helper could not fix it",
        )
