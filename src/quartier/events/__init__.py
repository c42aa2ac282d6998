"""Domain events: how a lower context lets higher ones react.

Stored events are the one mechanism for reactions (`record_event`, `handles`; models in
`events.models`, delivery in `events.outbox`): a service writes the event row in the
transaction that makes the change, after the rows it describes; after commit the worker
hands each event to each registered handler exactly once. Kinds recorded today:

    request.moved               jobs       request_id, from_state, to_state, actor_id, note
    booking.created / started / checked_out / completed / cancelled / released / not_fixed
                                bookings   started = checked in, completed = signed off
    job.settled                 bookings   what money books (at the customer's sign-off)
    booking.change_proposed / approved / rejected / lapsed
                                bookings   a change during the visit: change_id, booking_id
    dispute.opened / resolved   bookings   dispute_id, booking_id, request_id, by
    offer.countered / counter_accepted
                                bookings   a counter-offer: counter_id, offer_id, request_id
    review.written              reviews    review_id, booking_id, direction (still blind)
    review.created              reviews    review_id, subject_id, booking_id, request_id, ...
                                           (recorded when the review is published)
    reviews.published           reviews    booking_id, request_id, review_ids, reason
    dispatch.invited            dispatch   request_id, wave, invited, helper_ids
    dispatch.deadline_escalated dispatch   request_id, note
    dispatch.exhausted          dispatch   request_id, customer_id

Two in-process signals remain, and neither changes domain state:

- `helper_changed` refreshes read models (the match index, the directory listing) in the
  writer's transaction, so that matching and search never lag a profile just saved;
- `request_changed` fires after commit and only nudges dispatch to settle early (the tick
  does the same work from the database if it is lost).
"""

from django.db import transaction
from django.dispatch import Signal

#: A helper's profile, skills, availability, scores or standing changed (kwargs: helper_id):
#: read models refresh, in the writer's transaction.
helper_changed = Signal()

#: Offers, bookings or the state of a request changed; sent after commit (kwargs: request_id).
request_changed = Signal()


def announce_request_changed(request_id: int) -> None:
    """Tell subscribers (dispatch) once the current transaction has committed."""
    transaction.on_commit(lambda: request_changed.send(sender=None, request_id=request_id))


from .outbox import handles, record_event  # noqa: E402 - the stored events' entry points

__all__ = [
    "announce_request_changed",
    "handles",
    "helper_changed",
    "record_event",
    "request_changed",
]
