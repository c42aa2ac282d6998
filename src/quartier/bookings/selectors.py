"""Reads of offers and bookings, scoped to the actor."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from quartier.accounts.models import User
from quartier.errors import NotFound
from quartier.households.access import acts_for, customer_ids_for
from quartier.jobs.models import JobRequest

from .models import Booking, Dispute, DisputeStatus, Offer, OfferStatus


def offer_list_for_request(
    *, actor: User, request_id: int, checked: JobRequest | None = None
) -> QuerySet[Offer]:
    """The customer (and operators) see every offer; a helper only their own. `checked`:
    the request as `get_request_for(actor, request_id)` returned it to the caller already."""
    from quartier.jobs.selectors import get_request_for

    request = checked if checked is not None else get_request_for(actor, request_id)
    offers = (
        Offer.objects.filter(request=request)
        .select_related("helper", "request")
        .prefetch_related("lines")
    )
    if acts_for(actor, request.customer_id) or actor.is_staff:
        return offers
    return offers.filter(helper=actor)


def offer_outside_window(offer: Offer) -> bool:
    """An open offer whose time no longer lies in the request's window (the customer
    changed the window after it was made): flagged, never withdrawn for the helper."""
    job = offer.request
    return offer.status == OfferStatus.PENDING and (
        offer.proposed_start < job.window_start or offer.proposed_end > job.window_end
    )


def get_offer_for(actor: User, offer_id: int) -> Offer:
    offer = Offer.objects.select_related("request", "helper").filter(pk=offer_id).first()
    if offer is None or not actor.is_authenticated:
        raise NotFound("No such offer.")
    if actor.is_staff or (
        actor.pk == offer.helper_id or acts_for(actor, offer.request.customer_id)
    ):
        return offer
    raise NotFound("No such offer.")


def booking_list_for(*, actor: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(Q(helper=actor) | Q(customer_id__in=customer_ids_for(actor)))
        .select_related("request__skill", "helper", "customer", "offer")
        .prefetch_related("offer__lines")
        .order_by("-starts_at", "-id")
    )


def get_booking_for(actor: User, booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_related("request__skill", "helper", "customer", "offer")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or not actor.is_authenticated:
        raise NotFound("No such booking.")
    if actor.is_staff or (actor.pk == booking.helper_id or acts_for(actor, booking.customer_id)):
        return booking
    raise NotFound("No such booking.")


def helper_overlapping_bookings(
    *, helper_id: int, starts_at: object, ends_at: object
) -> QuerySet[Booking]:
    """Live bookings of the helper that overlap [starts_at, ends_at)."""
    return Booking.objects.filter(
        helper_id=helper_id,
        cancelled_at__isnull=True,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def dispute_list_for_booking(*, booking_id: int) -> QuerySet[Dispute]:
    return Dispute.objects.filter(booking_id=booking_id).select_related("opened_by")


def booking_ids_in_open_dispute(*, helper_id: int) -> list[int]:
    """The helper's bookings with a dispute not decided yet (money on them is held)."""
    return list(
        Dispute.objects.filter(booking__helper_id=helper_id, status=DisputeStatus.OPEN)
        .order_by("booking_id")
        .values_list("booking_id", flat=True)
        .distinct()
    )


def bookings_with_open_dispute() -> set[int]:
    """Ids of bookings someone has an open dispute on (payouts hold their money back)."""
    return set(
        Dispute.objects.filter(status=DisputeStatus.OPEN).values_list("booking_id", flat=True)
    )
