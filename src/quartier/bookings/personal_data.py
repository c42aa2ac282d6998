"""Bookings, offers and reported problems of a person (as customer or helper).

Bookings stay — the other party and the books need them — but the free texts a person
wrote (offer messages, cancellation reasons, problem descriptions, notes on changes during
the visit) are erased with the account. A change's consent record and the trader identity it
showed stay, as do a booking's consumer contract (notice, declarations, withdrawal): they
are the evidence of a consumer contract. An account with a live booking
cannot be erased: the booking is finished or cancelled first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .change_models import VisitChange
from .models import Booking, Dispute, Offer
from .states import LIVE
from .withdrawal_models import ConsumerContract


def has_live_bookings(user_id: int) -> bool:
    return Booking.objects.filter(
        Q(customer_id=user_id) | Q(helper_id=user_id), state__in=LIVE
    ).exists()


def export(user_id: int) -> dict[str, Any]:
    bookings = Booking.objects.filter(Q(customer_id=user_id) | Q(helper_id=user_id))
    return {
        "bookings": [
            {
                "id": b.pk,
                "as": "customer" if b.customer_id == user_id else "helper",
                "request_id": b.request_id,
                "state": b.state,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "price_minor": b.price_minor,
                "currency": b.currency,
                "tip_minor": b.tip_minor,
                "payment_method": b.payment_method,
                "cancellation_reason": b.cancellation_reason,
            }
            for b in bookings.order_by("id")
        ],
        "offers_made": [
            {
                "id": o.pk,
                "request_id": o.request_id,
                "price_minor": o.price_minor,
                "currency": o.currency,
                "message": o.message,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
            }
            for o in Offer.objects.filter(helper_id=user_id).order_by("id")
        ],
        "problems_reported": [
            {
                "booking_id": d.booking_id,
                "reason": d.reason,
                "description": d.description,
                "status": d.status,
                "created_at": d.created_at.isoformat(),
            }
            for d in Dispute.objects.filter(opened_by_id=user_id).order_by("id")
        ],
        "changes_during_visits": _changes(user_id),
        "consumer_contracts": _contracts(user_id),
    }


def _contracts(user_id: int) -> list[dict[str, Any]]:
    contracts = ConsumerContract.objects.filter(
        Q(booking__customer_id=user_id) | Q(booking__helper_id=user_id)
    ).order_by("id")
    return [
        {
            "booking_id": c.booking_id,
            "regime": c.regime,
            "trader_name": c.trader_name,
            "concluded_at": c.concluded_at.isoformat(),
            "early_start_requested_at": _iso(c.early_start_requested_at),
            "loss_acknowledged_at": _iso(c.loss_acknowledged_at),
            "withdrawn_at": _iso(c.withdrawn_at),
            "compensation_minor": c.compensation_minor,
        }
        for c in contracts
    ]


def _changes(user_id: int) -> list[dict[str, Any]]:
    changes = VisitChange.objects.filter(
        Q(booking__customer_id=user_id) | Q(booking__helper_id=user_id)
    ).order_by("id")
    return [
        {
            "booking_id": c.booking_id,
            "label": c.label,
            "total_minor": c.total_minor,
            "note": c.note,
            "status": c.status,
            "proposed_at": c.proposed_at.isoformat(),
            "decided_at": _iso(c.decided_at),
            "early_start_requested_at": _iso(c.early_start_requested_at),
            "loss_acknowledged_at": _iso(c.loss_acknowledged_at),
        }
        for c in changes
    ]


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def erase(user_id: int) -> None:
    Offer.objects.filter(helper_id=user_id).update(message="")
    Booking.objects.filter(cancelled_by_id=user_id).update(cancellation_reason="")
    Dispute.objects.filter(opened_by_id=user_id).update(description="")
    VisitChange.objects.filter(proposed_by_id=user_id).update(note="")
