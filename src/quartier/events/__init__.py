"""Domain events.

Stored events (`record_event`, `handles`; models in `events.models`) are the one way a
lower context lets higher ones react: a service writes the event row in the transaction
that makes the change, and after commit the worker hands each event to each registered
handler exactly once. The signals below are the older, in-process mechanism, which the
remaining subscribers still use until they move to stored events.
"""

from django.db import transaction
from django.dispatch import Signal

#: A helper's profile, skills, availability, scores or standing changed (kwargs: helper_id).
helper_changed = Signal()

#: Offers, bookings or the state of a request changed; sent after commit (kwargs: request_id).
request_changed = Signal()


def announce_request_changed(request_id: int) -> None:
    """Tell subscribers (dispatch) once the current transaction has committed."""
    transaction.on_commit(lambda: request_changed.send(sender=None, request_id=request_id))


#: A request moved between states, sent inside the transaction that moved it, so that a
#: subscriber's writes (the partners' webhook outbox) commit or roll back with the move
#: (kwargs: request_id, from_state, to_state, actor_id, note).
request_state_changed = Signal()

#: Dispatch invited helpers for a request (kwargs: request_id, wave, invited, helper_ids),
#: in-transaction.
dispatch_invited = Signal()

#: Dispatch gave up at the deadline of an `escalate` dispatch (kwargs: request_id, note),
#: in-transaction; the partners context hands the case back to the partner.
dispatch_deadline_escalated = Signal()

#: A party of a booking reviewed the other (kwargs: review_id, booking_id, request_id,
#: direction, rating), in-transaction; the partners context reports a case's rating.
review_created = Signal()


from .outbox import handles, record_event  # noqa: E402 - the stored events' entry points

__all__ = [
    "announce_request_changed",
    "dispatch_deadline_escalated",
    "dispatch_invited",
    "handles",
    "helper_changed",
    "record_event",
    "request_changed",
    "request_state_changed",
    "review_created",
]
