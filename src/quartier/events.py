"""Domain events other contexts subscribe to (sent explicitly by services, never by save())."""

from django.db import transaction
from django.dispatch import Signal

#: A helper's profile, skills, availability, scores or standing changed (kwargs: helper_id).
helper_changed = Signal()

#: Offers, bookings or the state of a request changed; sent after commit (kwargs: request_id).
request_changed = Signal()


def announce_request_changed(request_id: int) -> None:
    """Tell subscribers (dispatch) once the current transaction has committed."""
    transaction.on_commit(lambda: request_changed.send(sender=None, request_id=request_id))
