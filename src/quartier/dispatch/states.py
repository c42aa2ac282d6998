"""The two small state machines of dispatch, and the only map of their legal moves.

A dispatch is `active` while it invites helpers wave by wave, then ends once:
`satisfied` (booked, enough quotes, or offers in hand at the deadline), `exhausted`
(deadline passed with no offer; the customer is told), `escalated` (partner cases: handed
back to the partner) or `cancelled` (the request was withdrawn, or an operator stopped it).

An invitation is `open` until the helper answers (`accepted`: booked in fixed-price mode or
quoted in quotes mode; `declined`) or the dispatch closes it (`closed` when the job was taken,
the quotes are in or the request was cancelled; `expired` at the deadline). Every move is a
compare-and-set UPDATE ... WHERE state/status = <from> in services.py.
"""

from __future__ import annotations

from django.db import models


class DispatchMode(models.TextChoices):
    QUOTES = "quotes", "Quotes (the customer compares offers)"
    FIXED_PRICE = "fixed_price", "Fixed price (the first helper to accept is booked)"


class DispatchState(models.TextChoices):
    ACTIVE = "active", "Active"
    SATISFIED = "satisfied", "Satisfied"
    EXHAUSTED = "exhausted", "Exhausted"
    ESCALATED = "escalated", "Escalated"
    CANCELLED = "cancelled", "Cancelled"


class DeadlineAction(models.TextChoices):
    """What happens when the deadline passes without an offer."""

    NOTIFY_CUSTOMER = "notify_customer", "Tell the customer (public requests)"
    ESCALATE = "escalate", "Escalate to the partner (partner cases)"


class InvitationSource(models.TextChoices):
    """Who chose the helper: a dispatch wave (the matcher's ranking) or the customer
    ("invite this helper", "book again", "Book now"). Direct invitations do not count
    towards the open-invitations fairness cap: the customer asked for this helper."""

    WAVE = "wave", "Dispatch wave"
    DIRECT = "direct", "Chosen by the customer"


class InvitationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    CLOSED = "closed", "Closed"


DISPATCH_TRANSITIONS: dict[DispatchState, frozenset[DispatchState]] = {
    DispatchState.ACTIVE: frozenset(
        {
            DispatchState.SATISFIED,
            DispatchState.EXHAUSTED,
            DispatchState.ESCALATED,
            DispatchState.CANCELLED,
        }
    ),
    # Active again when the booked helper cancels (redispatch.py).
    DispatchState.SATISFIED: frozenset({DispatchState.ACTIVE}),
    DispatchState.EXHAUSTED: frozenset({DispatchState.ACTIVE}),
    DispatchState.ESCALATED: frozenset(),
    DispatchState.CANCELLED: frozenset(),
}

INVITATION_TRANSITIONS: dict[InvitationStatus, frozenset[InvitationStatus]] = {
    InvitationStatus.OPEN: frozenset(
        {
            InvitationStatus.ACCEPTED,
            InvitationStatus.DECLINED,
            InvitationStatus.EXPIRED,
            InvitationStatus.CLOSED,
        }
    ),
    InvitationStatus.ACCEPTED: frozenset(),
    InvitationStatus.DECLINED: frozenset(),
    InvitationStatus.EXPIRED: frozenset(),
    InvitationStatus.CLOSED: frozenset(),
}


def dispatch_can_move(source: DispatchState | str, target: DispatchState | str) -> bool:
    return DispatchState(target) in DISPATCH_TRANSITIONS[DispatchState(source)]


def invitation_can_move(source: InvitationStatus | str, target: InvitationStatus | str) -> bool:
    return InvitationStatus(target) in INVITATION_TRANSITIONS[InvitationStatus(source)]
