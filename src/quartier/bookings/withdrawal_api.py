"""A German consumer's right of withdrawal on the API: the declarations given after checkout
and the withdrawal itself (`withdrawal`). The checkout's part is in quartier.api.checkout."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from quartier.accounts.auth import api_auth, current_user

from .models import Booking
from .withdrawal import booking_withdraw, consent_give, period_end, withdrawable
from .withdrawal_models import ConsumerContract, Regime
from .withdrawal_notices import EARLY_START_TEXT, LOSS_TEXT, contract_notice, regime_text
from .withdrawal_schemas import ConsentIn, ConsumerRightsOut

router = Router(tags=["offers & bookings"], auth=api_auth)


def rights_out(
    contract: ConsumerContract, *, title: str, booking: Booking | None = None
) -> ConsumerRightsOut:
    """What `contract` means for the customer: at checkout (unsaved, no booking) or on a
    booking, with the declarations and any withdrawal."""
    right = contract.regime == Regime.WITHDRAWAL
    on_booking = booking is not None and contract.pk is not None
    return ConsumerRightsOut(
        regime=contract.regime,  # type: ignore[arg-type]  # checked in the db
        text=regime_text(contract.regime),
        trader_name=contract.trader_name,
        trader_address=contract.trader_address,
        trader_email=contract.trader_email,
        notice=contract_notice(contract, title),
        early_start_text=str(EARLY_START_TEXT) if right else "",
        loss_text=str(LOSS_TEXT) if right else "",
        period_ends_at=period_end(contract) if right and on_booking else None,
        early_start_requested_at=contract.early_start_requested_at,
        loss_acknowledged_at=contract.loss_acknowledged_at,
        withdrawable=booking is not None and withdrawable(booking, contract, timezone.now()),
        withdrawn_at=contract.withdrawn_at,
        compensation_minor=contract.compensation_minor,
        refund_minor=contract.refund_minor,
    )


def booking_rights(booking: Booking) -> ConsumerRightsOut | None:
    contract = ConsumerContract.objects.filter(booking_id=booking.pk).first()
    if contract is None:
        return None
    return rights_out(contract, title=booking.request.title, booking=booking)


def _fresh(booking_id: int) -> Booking:
    return Booking.objects.select_related("request").get(pk=booking_id)


@router.post("/bookings/{booking_id}/start-consent", response=ConsumerRightsOut)
def start_consent(
    request: HttpRequest, booking_id: int, payload: ConsentIn | None = None
) -> ConsumerRightsOut:
    """For the customer of a booking with a right of withdrawal: ask for the work to start
    inside the 14 days (both declarations true, else 422 `consent_missing`); the helper can
    then check in, and a confirmation e-mail follows. 409 without the right or once given."""
    body = payload or ConsentIn()
    contract = consent_give(
        actor=current_user(request),
        booking_id=booking_id,
        early_start=body.early_start,
        loss_acknowledged=body.loss_acknowledged,
    )
    booking = _fresh(booking_id)
    return rights_out(contract, title=booking.request.title, booking=booking)


@router.post("/bookings/{booking_id}/withdrawal", response=ConsumerRightsOut)
def withdraw(request: HttpRequest, booking_id: int) -> ConsumerRightsOut:
    """For the customer: withdraw from the contract ("Widerruf bestätigen") inside the 14
    days while booked or checked in. The booking is cancelled without a fee and a receipt
    with the content, date and time is e-mailed. After an early start the value of the
    work done is due (`compensation_minor`) and the rest refunded by a credit note
    (`refund_minor`). 409 `withdrawal_closed` otherwise."""
    contract = booking_withdraw(actor=current_user(request), booking_id=booking_id)
    booking = _fresh(booking_id)
    return rights_out(contract, title=booking.request.title, booking=booking)
