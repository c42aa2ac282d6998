"""Changes during the visit: the helper proposes price lines while checked in, the customer
approves or rejects each (bookings.changes).

Here, above payments, because whether the helper is a trader — and so whether a German
consumer's approval carries a right of withdrawal — is the helper's declaration in their
payout profile."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from quartier.accounts.auth import api_auth, current_user
from quartier.bookings.change_models import VisitChange
from quartier.bookings.change_notices import EARLY_START_TEXT, LOSS_TEXT, withdrawal_notice
from quartier.bookings.changes import (
    change_approve,
    change_list_for,
    change_propose,
    change_reject,
)
from quartier.bookings.pricing import line_of
from quartier.bookings.schemas import (
    ChangeApproveIn,
    ChangeIn,
    ChangeOut,
    PriceLineOut,
    WithdrawalOut,
)
from quartier.bookings.selectors import get_booking_for
from quartier.web.provider import trader_of

router = Router(tags=["offers & bookings"], auth=api_auth)


def change_out(change: VisitChange) -> ChangeOut:
    withdrawal = None
    if change.withdrawal_right:
        withdrawal = WithdrawalOut(
            trader_name=change.trader_name,
            trader_address=change.trader_address,
            trader_email=change.trader_email,
            notice=withdrawal_notice(change),
            early_start_text=str(EARLY_START_TEXT),
            loss_text=str(LOSS_TEXT),
        )
    return ChangeOut(
        id=change.pk,
        booking_id=change.booking_id,
        status=change.status,  # type: ignore[arg-type]  # checked in the db
        line=PriceLineOut.model_validate(line_of(change).as_payload()),
        note=change.note,
        urgent_repair=change.urgent_repair,
        proposed_at=change.proposed_at,
        decided_at=change.decided_at,
        withdrawal=withdrawal,
    )


@router.get(
    "/bookings/{booking_id}/changes",
    response=list[ChangeOut],
    operation_id="quartier_bookings_api_list_changes",
)
def list_changes(request: HttpRequest, booking_id: int) -> list[ChangeOut]:
    """The changes proposed during the visit, oldest first, with their answers; where a
    change carries a German consumer's right of withdrawal, the notice naming the trader."""
    changes = change_list_for(actor=current_user(request), booking_id=booking_id)
    return [change_out(change) for change in changes]


@router.post(
    "/bookings/{booking_id}/changes",
    response={201: ChangeOut},
    operation_id="quartier_bookings_api_propose_change",
)
def propose_change(request: HttpRequest, booking_id: int, payload: ChangeIn) -> Status[ChangeOut]:
    """For the booked helper, while checked in (else 409): extra time, work or material as
    one price line. Nothing is billed unless the customer approves it; a proposal still open
    at check-out lapses. Not for a job the partner pays in full, nor labour on an hourly job
    (the clock bills the time)."""
    actor = current_user(request)
    booking = get_booking_for(actor, booking_id)
    change = change_propose(
        actor=actor,
        booking_id=booking_id,
        line=payload.dict(exclude={"note", "urgent_repair"}),
        trader=trader_of(booking.helper),
        note=payload.note,
        urgent_repair=payload.urgent_repair,
    )
    return Status(201, change_out(change))


@router.post(
    "/bookings/{booking_id}/changes/{change_id}/approve",
    response=ChangeOut,
    operation_id="quartier_bookings_api_approve_change",
)
def approve_change(
    request: HttpRequest, booking_id: int, change_id: int, payload: ChangeApproveIn | None = None
) -> ChangeOut:
    """For the customer, while the helper is checked in: the line joins the price and a
    confirmation e-mail follows. Where `withdrawal` is set, both `early_start` and
    `loss_acknowledged` must be true (422 `consent_missing`); 409 once answered."""
    body = payload or ChangeApproveIn()
    change = change_approve(
        actor=current_user(request),
        booking_id=booking_id,
        change_id=change_id,
        early_start=body.early_start,
        loss_acknowledged=body.loss_acknowledged,
    )
    return change_out(change)


@router.post(
    "/bookings/{booking_id}/changes/{change_id}/reject",
    response=ChangeOut,
    operation_id="quartier_bookings_api_reject_change",
)
def reject_change(request: HttpRequest, booking_id: int, change_id: int) -> ChangeOut:
    """For the customer, while the helper is checked in: nothing is billed for it."""
    actor = current_user(request)
    return change_out(change_reject(actor=actor, booking_id=booking_id, change_id=change_id))
