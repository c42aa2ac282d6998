"""The job lifecycle: one state machine for a request, from posting to closing.

requested -> offered -> booked -> in_progress -> completed -> closed, plus cancelled, and for
partner cases escalated (handed back to the partner's own technicians, from any open state).
A booked request goes back to requested when the helper cancels (re-dispatch), and so does
one in progress when the helper checks out without a fix (a public job; a partner case
escalates).
`TRANSITIONS` is the only place that says which moves are legal; every move goes through
`jobs.services.request_transition`, a compare-and-set that also writes an audit event.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    """The labels are the words customers and partners read (translated in the web's
    catalogue); code and messages use the values."""

    REQUESTED = "requested", _("Waiting for offers")
    OFFERED = "offered", _("Offers received")
    BOOKED = "booked", _("Booked")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    ESCALATED = "escalated", _("Escalated to technicians")


S = RequestState

TRANSITIONS: dict[RequestState, frozenset[RequestState]] = {
    S.REQUESTED: frozenset({S.OFFERED, S.CANCELLED, S.ESCALATED}),
    S.OFFERED: frozenset({S.BOOKED, S.CANCELLED, S.ESCALATED}),
    # booked -> requested: the helper cancelled; the job goes back to dispatch.
    S.BOOKED: frozenset({S.REQUESTED, S.IN_PROGRESS, S.CANCELLED, S.ESCALATED}),
    # in_progress -> requested: the helper could not fix it; the job goes back to dispatch.
    # in_progress -> cancelled: the helper checked in at the door, and an operator decided
    # that the customer did not show up (bookings/no_show.py), or a German consumer
    # withdrew after an early start (bookings/withdrawal).
    S.IN_PROGRESS: frozenset({S.REQUESTED, S.COMPLETED, S.CANCELLED, S.ESCALATED}),
    S.COMPLETED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.ESCALATED: frozenset(),
}

#: States in which helpers may still make offers.
OPEN_FOR_OFFERS = frozenset({S.REQUESTED, S.OFFERED})


def can_move(source: RequestState | str, target: RequestState | str) -> bool:
    return RequestState(target) in TRANSITIONS[RequestState(source)]
