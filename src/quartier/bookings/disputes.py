"""Disputes: either party of a booking reports a problem; an operator decides, once.

Opening is possible from the booking until `QUARTIER_DISPUTE_DAYS` after its end (cancelled
bookings included: a late cancellation can be the problem). Both sides are told; operators
find the open ones first in the back office (Bookings, Disputes).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import record_event
from quartier.households.access import acts_for
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import Booking, Dispute, DisputeReason, DisputeStatus
from .selectors import get_booking_for


def dispute_open(*, actor: User, booking_id: int, reason: str, description: str) -> Dispute:
    booking = get_booking_for(actor, booking_id)
    if not (actor.pk == booking.helper_id or acts_for(actor, booking.customer_id)):
        raise Forbidden("Only the two parties can report a problem.", code="wrong_party")
    if reason not in DisputeReason.values:
        raise field_error("reason", "Choose what went wrong.", code="unknown_dispute_reason")
    description = description.strip()
    if not description:
        raise field_error(
            "description", "Describe what happened.", code="dispute_description_missing"
        )
    deadline = booking.ends_at + timedelta(days=settings.QUARTIER_DISPUTE_DAYS)
    if timezone.now() > deadline:
        raise Conflict(
            "Problems can be reported until 14 days after the booking.", code="dispute_too_late"
        )
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                booking=booking, opened_by=actor, reason=reason, description=description[:4000]
            )
            other = booking.helper if acts_for(actor, booking.customer_id) else booking.customer
            _tell(other, booking, "opened")
            record_event(
                "dispute.opened",
                dispute_id=dispute.pk,
                booking_id=booking.pk,
                request_id=booking.request_id,
                by="helper" if actor.pk == booking.helper_id else "customer",
                by_user_id=actor.pk,
                reason=reason,
            )
    except IntegrityError:
        raise Conflict(
            "A problem with this booking is already being looked at.", code="dispute_open"
        ) from None
    return dispute


def dispute_resolve(
    *, actor: User, dispute_id: int, resolution: str, refund_minor: int = 0
) -> Dispute:
    """An operator's decision, recorded once and sent to both parties. It may refund part
    or all of the job's price (`refund_minor`, at most the price); money reacts to the
    `dispute.resolved` event."""
    if not actor.is_staff:
        raise Forbidden("Only operators decide disputes.", code="not_an_operator")
    resolution = resolution.strip()
    if not resolution:
        raise field_error(
            "resolution", "Write the decision and its reasons.", code="resolution_missing"
        )
    price = Booking.objects.filter(disputes=dispute_id).values_list("price_minor", flat=True)
    if not 0 <= refund_minor <= (price.first() or 0):
        raise field_error(
            "refund_minor",
            "The refund must lie between 0 and the job's price.",
            code="refund_out_of_range",
        )
    with transaction.atomic():
        decided = Dispute.objects.filter(pk=dispute_id, status=DisputeStatus.OPEN).update(
            status=DisputeStatus.RESOLVED,
            resolution=resolution,
            resolved_by=actor,
            resolved_at=timezone.now(),
            refund_minor=refund_minor,
        )
        dispute = (
            Dispute.objects.select_related("booking__customer", "booking__helper")
            .filter(pk=dispute_id)
            .first()
        )
        if dispute is None:
            raise NotFound("No such dispute.")
        if not decided:
            raise Conflict("This dispute is decided already.", code="dispute_decided")
        for party in (dispute.booking.customer, dispute.booking.helper):
            _tell(party, dispute.booking, "resolved")
        refund = f" (refund {refund_minor} minor units)" if refund_minor else ""
        record_operator_action(actor, "dispute.resolve", dispute, resolution + refund)
        record_event(
            "dispute.resolved",
            dispute_id=dispute.pk,
            booking_id=dispute.booking_id,
            request_id=dispute.booking.request_id,
            by_user_id=actor.pk,
            resolved_at=dispute.resolved_at,
            refund_minor=dispute.refund_minor,
        )
    return dispute


def _tell(user: User | None, booking: Booking, step: str) -> None:
    if user is None:  # a partner's customer who has not confirmed the case yet
        return
    notify(
        user=user,
        kind=Kind.DISPUTE,
        context={"title": booking.request.title, "step": step},
        link=Link(Page.BOOKING, (booking.pk,)),
    )
