"""Dispatch API: a helper's invitations (decline, or accept a fixed-price job), and how a
customer's request is being dispatched."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.bookings.api import booking_out
from quartier.bookings.schemas import BookingOut
from quartier.bookings.selectors import get_booking_for
from quartier.schemas import list_of

from .schemas import DispatchOut, InvitationAcceptIn, InvitationOut
from .selectors import (
    DispatchSummary,
    InvitationView,
    dispatch_summary_for,
    invitation_list_for_helper,
    invitation_view,
)
from .services import invitation_accept, invitation_decline

router = Router(tags=["dispatch"], auth=api_auth)


@router.get("/invitations", response=list_of(InvitationOut))
def invitations(request: HttpRequest) -> list[InvitationView]:
    """For helpers: your open invitations, with why you were invited. Declining is free: it
    never lowers your rank."""
    actor = current_user(request)
    return invitation_list_for_helper(actor=actor)


@router.post("/invitations/{invitation_id}/decline", response=InvitationOut)
def decline(request: HttpRequest, invitation_id: int) -> InvitationView:
    """Turn the job down (409 `invitation_not_open` when it is no longer open)."""
    invitation = invitation_decline(actor=current_user(request), invitation_id=invitation_id)
    return invitation_view(invitation)


@router.post("/invitations/{invitation_id}/accept", response={201: BookingOut})
def accept(
    request: HttpRequest, invitation_id: int, payload: InvitationAcceptIn | None = None
) -> Status[BookingOut]:
    """Fixed-price jobs: take it and be booked at once. 409 `already_taken` when another
    helper was first; 409 `quote_required` for requests that take quotes (answer with
    `POST /requests/{id}/offers`)."""
    actor = current_user(request)
    booking = invitation_accept(
        actor=actor,
        invitation_id=invitation_id,
        proposed_start=payload.proposed_start if payload else None,
    )
    return Status(201, booking_out(get_booking_for(actor, booking.pk)))


@router.get("/requests/{request_id}/dispatch", response=DispatchOut)
def dispatch(request: HttpRequest, request_id: int) -> DispatchSummary:
    """For the customer: the waves sent so far, how many helpers were invited, the state."""
    return dispatch_summary_for(current_user(request), request_id)
