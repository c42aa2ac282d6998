"""Choosing a helper yourself: invite them to a request, book them at once at their fixed
price ("Book now"), book a past job's helper again; and the invited helper's answer with
an offer at their own price (or another price or time).

Here, beside checkout, because booking at once is a checkout: whether the helper is a
trader (a German consumer's right of withdrawal) is their payout profile's declaration.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from quartier.accounts.auth import api_auth, current_user
from quartier.accounts.models import User
from quartier.bookings.api import booking_out, offer_out
from quartier.bookings.schemas import BookingOut, OfferOut
from quartier.bookings.selectors import get_booking_for
from quartier.dispatch.again import book_again, booking_for_again
from quartier.dispatch.book_now import book_now
from quartier.dispatch.direct import (
    invitation_answer_with_offer,
    invitation_direct_create,
    invitations_for_request,
)
from quartier.dispatch.models import Invitation
from quartier.web.provider import trader_of

router = Router(tags=["choose a helper"], auth=api_auth)


class InviteIn(Schema):
    helper_id: int = Field(description="The helper you chose (from matches or the directory).")


class DirectInvitationOut(Schema):
    id: int
    request_id: int
    helper_id: int
    helper_name: str
    status: str = Field(description="open, accepted (they made an offer), declined, ...")
    invited_at: datetime
    responded_at: datetime | None


def _invitation_out(invitation: Invitation) -> DirectInvitationOut:
    return DirectInvitationOut(
        id=invitation.pk,
        request_id=invitation.dispatch.request_id,
        helper_id=invitation.helper_id,
        helper_name=invitation.helper.full_name,
        status=invitation.status,
        invited_at=invitation.created_at,
        responded_at=invitation.responded_at,
    )


@router.post("/requests/{request_id}/invitations", response={201: DirectInvitationOut})
def invite_helper(
    request: HttpRequest, request_id: int, payload: InviteIn
) -> Status[DirectInvitationOut]:
    """Invite a helper you chose to your open request; they are told at once and answer
    with an offer or decline (declining costs them nothing). Idempotent while open; 409
    `already_offered` when they made an offer already; 422 `helper_cannot_serve`."""
    actor = current_user(request)
    invitation = invitation_direct_create(
        actor=actor, request_id=request_id, helper_id=payload.helper_id
    )
    return Status(201, _invitation_out(invitation))


@router.get("/requests/{request_id}/invitations", response=list[DirectInvitationOut])
def invited_helpers(request: HttpRequest, request_id: int) -> list[DirectInvitationOut]:
    """The helpers you invited to your request, and what each answered."""
    invitations = invitations_for_request(actor=current_user(request), request_id=request_id)
    return [_invitation_out(invitation) for invitation in invitations]


class BookNowIn(Schema):
    helper_id: int
    starts_at: AwareDatetime = Field(
        description="When the helper starts; the slot lasts their standard job's length."
    )
    payment_method: str = Field("transfer", description="transfer or cash")
    tip_minor: int = Field(0, ge=0)


def _booked(actor: User, booking_id: int) -> BookingOut:
    return booking_out(get_booking_for(actor, booking_id))


@router.post("/requests/{request_id}/book-now", response={201: BookingOut})
def book_helper_now(
    request: HttpRequest, request_id: int, payload: BookNowIn
) -> Status[BookingOut]:
    """Book a helper at once at their fixed price for the request's skill: their offer and
    your booking in one step. 409 `no_fixed_price`, `helper_not_free` (outside their
    hours), `helper_double_booked` (taken meanwhile)."""
    actor = current_user(request)
    helper = User.objects.filter(pk=payload.helper_id).first()
    booking = book_now(
        actor=actor,
        request_id=request_id,
        helper_id=payload.helper_id,
        starts_at=payload.starts_at,
        payment_method=payload.payment_method,
        tip_minor=payload.tip_minor,
        trader=trader_of(helper) if helper else None,
    )
    return Status(201, _booked(actor, booking.pk))


class AnswerIn(Schema):
    price_minor: int | None = Field(
        None, description="Another price; default: your fixed price, else your hourly rate."
    )
    proposed_start: AwareDatetime | None = Field(None, description="Default: the first hour.")
    proposed_end: AwareDatetime | None = None
    message: str = Field("", max_length=2000)


@router.post("/invitations/{invitation_id}/offer", response={201: OfferOut})
def answer_with_offer(
    request: HttpRequest, invitation_id: int, payload: AnswerIn | None = None
) -> Status[OfferOut]:
    """For the invited helper: accept at your price for the skill (your fixed price, else
    your hourly rate for the standard job), or name another price or time. The customer
    then books your offer. Requests that take quotes (409 `fixed_price_job` otherwise)."""
    answer = payload or AnswerIn.model_validate({})
    offer = invitation_answer_with_offer(
        actor=current_user(request),
        invitation_id=invitation_id,
        price_minor=answer.price_minor,
        proposed_start=answer.proposed_start,
        proposed_end=answer.proposed_end,
        message=answer.message,
    )
    return Status(201, offer_out(offer))


class AgainIn(Schema):
    window_start: AwareDatetime
    window_end: AwareDatetime
    title: str | None = Field(None, max_length=120, description="Default: the old title.")
    description: str | None = Field(None, max_length=4000)
    starts_at: AwareDatetime | None = Field(
        None, description="Book at once at the helper's fixed price from then (Book now)."
    )
    payment_method: str = "transfer"


class AgainOut(Schema):
    request_id: int
    invitation: DirectInvitationOut | None
    booking: BookingOut | None


@router.post("/bookings/{booking_id}/book-again", response={201: AgainOut})
def book_helper_again(request: HttpRequest, booking_id: int, payload: AgainIn) -> Status[AgainOut]:
    """A completed job's helper again: a new request with the same skill, address and
    description, for that helper alone (invited), or booked at once with `starts_at`."""
    actor = current_user(request)
    old = booking_for_again(actor, booking_id)
    again = book_again(
        actor=actor,
        booking_id=booking_id,
        window_start=payload.window_start,
        window_end=payload.window_end,
        title=payload.title,
        description=payload.description,
        starts_at=payload.starts_at,
        payment_method=payload.payment_method,
        trader=trader_of(old.helper),
    )
    return Status(
        201,
        AgainOut(
            request_id=again.request.pk,
            invitation=_invitation_out(again.invitation) if again.invitation else None,
            booking=_booked(actor, again.booking.pk) if again.booking else None,
        ),
    )
