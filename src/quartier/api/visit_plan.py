"""Before the visit and when plans change: contact, confirm, on my way, reschedule, another
helper, no-show (bookings.before_visit, reschedule, replacement, no_show).

Here, in the interfaces layer, because a no-show report carries what the two sides wrote to
each other, which messaging (above bookings) knows."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from quartier.accounts.auth import api_auth, current_user
from quartier.bookings.before_visit import (
    MAX_ETA_MINUTES,
    booking_confirm,
    booking_contacted,
    booking_on_my_way,
)
from quartier.bookings.models import Booking
from quartier.bookings.no_show import no_show_report
from quartier.bookings.plan_selectors import plan_view
from quartier.bookings.replacement import booking_another_helper
from quartier.bookings.reschedule import (
    reschedule_accept,
    reschedule_decline,
    reschedule_propose,
)
from quartier.bookings.selectors import get_booking_for
from quartier.errors import field_error
from quartier.messaging.selectors import message_facts

router = Router(tags=["offers & bookings"], auth=api_auth)


class ProposalOut(Schema):
    id: int
    proposed_by_id: int
    starts_at: datetime
    ends_at: datetime
    note: str
    status: str


class NoShowOut(Schema):
    id: int
    absent: Literal["helper", "customer"]
    reported_at: datetime
    decision: Literal["open", "upheld", "not_upheld"]
    fee_minor: int
    compensation_minor: int
    facts: dict[str, object]


class PlanOut(Schema):
    booking_id: int
    visit_state: str
    starts_at: datetime
    ends_at: datetime
    contacted_at: datetime | None
    needs_confirmation: bool = Field(description="Booked at least 24 hours ahead.")
    confirm_opens_at: datetime
    confirmed_at: datetime | None = Field(description="Set while confirmed for this start.")
    on_my_way_at: datetime | None
    eta_at: datetime | None = Field(description="When the helper expects to arrive.")
    may_ask_another_helper: bool
    proposal: ProposalOut | None
    no_show: NoShowOut | None


class OnMyWayIn(Schema):
    eta_minutes: int = Field(ge=1, le=MAX_ETA_MINUTES, description="Minutes until arrival.")


class RescheduleIn(Schema):
    action: Literal["propose", "accept", "decline"]
    starts_at: datetime | None = None
    ends_at: datetime | None = Field(None, description="Default: the booked length.")
    note: str = Field("", max_length=500)


class NoShowIn(Schema):
    note: str = Field("", max_length=2000)
    another_helper: bool = Field(
        False, description="The customer asks for another helper (their consent to re-dispatch)."
    )


def plan_out(booking: Booking) -> PlanOut:
    view = plan_view(booking)
    proposal = view.proposal
    report = view.no_show
    return PlanOut(
        booking_id=booking.pk,
        visit_state=booking.state,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        contacted_at=view.contacted_at,
        needs_confirmation=view.needs_confirmation,
        confirm_opens_at=view.confirm_opens_at,
        confirmed_at=view.confirmed_at,
        on_my_way_at=view.on_my_way_at,
        eta_at=view.eta_at,
        may_ask_another_helper=view.may_ask_another_helper,
        proposal=None
        if proposal is None
        else ProposalOut(
            id=proposal.pk,
            proposed_by_id=proposal.proposed_by_id,
            starts_at=proposal.starts_at,
            ends_at=proposal.ends_at,
            note=proposal.note,
            status=proposal.status,
        ),
        no_show=None
        if report is None
        else NoShowOut(
            id=report.pk,
            absent=report.absent,  # type: ignore[arg-type]  # checked in the db
            reported_at=report.reported_at,
            decision=report.decision,  # type: ignore[arg-type]  # checked in the db
            fee_minor=report.fee_minor,
            compensation_minor=report.compensation_minor,
            facts=report.facts,
        ),
    )


def _fresh(request: HttpRequest, booking_id: int) -> PlanOut:
    return plan_out(get_booking_for(current_user(request), booking_id))


@router.get(
    "/bookings/{booking_id}/plan", response=PlanOut, operation_id="quartier_bookings_api_plan"
)
def plan(request: HttpRequest, booking_id: int) -> PlanOut:
    """Where the steps before the visit stand, for both parties: contact, confirmation,
    on my way (with the ETA), an open reschedule proposal, a no-show report."""
    return _fresh(request, booking_id)


@router.post(
    "/bookings/{booking_id}/contacted",
    response=PlanOut,
    operation_id="quartier_bookings_api_contacted",
)
def contacted(request: HttpRequest, booking_id: int) -> PlanOut:
    """For the booked helper: "I called or messaged the customer" (a reminder comes 12 hours
    after booking without it; it changes nothing else)."""
    booking_contacted(actor=current_user(request), booking_id=booking_id)
    return _fresh(request, booking_id)


@router.post(
    "/bookings/{booking_id}/confirm", response=PlanOut, operation_id="quartier_bookings_api_confirm"
)
def confirm(request: HttpRequest, booking_id: int) -> PlanOut:
    """For the booked helper, from 24 hours before the start (409 `too_early` before): "I'll
    be there". The customer is told."""
    booking_confirm(actor=current_user(request), booking_id=booking_id)
    return _fresh(request, booking_id)


@router.post(
    "/bookings/{booking_id}/on-my-way",
    response=PlanOut,
    operation_id="quartier_bookings_api_on_my_way",
)
def on_my_way(request: HttpRequest, booking_id: int, payload: OnMyWayIn) -> PlanOut:
    """For the booked helper, from 6 hours before the start: leaving now, arriving in
    `eta_minutes`. The customer sees the ETA (no live tracking); tap again to update it."""
    booking_on_my_way(
        actor=current_user(request), booking_id=booking_id, eta_minutes=payload.eta_minutes
    )
    return _fresh(request, booking_id)


@router.post(
    "/bookings/{booking_id}/reschedule",
    response=PlanOut,
    operation_id="quartier_bookings_api_reschedule",
)
def reschedule(request: HttpRequest, booking_id: int, payload: RescheduleIn) -> PlanOut:
    """Either party: `propose` a new `starts_at` (and `ends_at`; default the booked length),
    then the other `accept`s — the booking moves if the helper is free then (409
    `helper_unavailable` or `helper_double_booked`) — or `decline`s (the booking stays)."""
    actor = current_user(request)
    if payload.action == "propose":
        if payload.starts_at is None:
            raise field_error("starts_at", "Give the new start.")
        reschedule_propose(
            actor=actor,
            booking_id=booking_id,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            note=payload.note,
        )
    elif payload.action == "accept":
        reschedule_accept(actor=actor, booking_id=booking_id)
    else:
        reschedule_decline(actor=actor, booking_id=booking_id)
    return _fresh(request, booking_id)


@router.post(
    "/bookings/{booking_id}/another-helper",
    response=PlanOut,
    operation_id="quartier_bookings_api_another_helper",
)
def another_helper(request: HttpRequest, booking_id: int) -> PlanOut:
    """For the customer, when the visit is not confirmed 12 hours ahead (else 409): end this
    booking free of charge and look for another helper. Only the customer can ask."""
    booking_another_helper(actor=current_user(request), booking_id=booking_id)
    return _fresh(request, booking_id)


@router.post(
    "/bookings/{booking_id}/no-show", response=PlanOut, operation_id="quartier_bookings_api_no_show"
)
def no_show(request: HttpRequest, booking_id: int, payload: NoShowIn) -> PlanOut:
    """Either party, from the booked start on: the other side did not show up. What is known
    (check-in, confirmation, on my way, messages) is kept with the report; an operator
    decides (a fee for the customer's no-show, a compensation for the helper's)."""
    actor = current_user(request)
    booking = get_booking_for(actor, booking_id)
    facts = message_facts(
        request_id=booking.request_id, helper_id=booking.helper_id, customer_id=booking.customer_id
    )
    no_show_report(
        actor=actor,
        booking_id=booking_id,
        note=payload.note,
        another_helper=payload.another_helper,
        messages=facts,
    )
    return _fresh(request, booking_id)
