"""A German consumer's rights on the booking page: the two declarations given after checkout,
and the withdrawal button ("Vertrag widerrufen" → a confirmation page → "Widerruf
bestätigen", § 356a BGB) with what it costs after an early start (`bookings.withdrawal`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.selectors import get_booking_for
from quartier.bookings.states import BookingState
from quartier.bookings.withdrawal import (
    booking_withdraw,
    consent_give,
    contract_of,
    in_period,
    period_end,
    value_compensation,
    withdrawable,
)
from quartier.bookings.withdrawal_notices import contract_notice, regime_text
from quartier.errors import QuartierError
from quartier.households.access import acts_for

from ..access import actor_of, member_view
from ..service_errors import friendly
from ..withdrawal_forms import ConsentForm


def withdrawal_context(actor: User, booking: Booking) -> dict[str, Any]:
    """What the booking page shows about the consumer's rights, to each party."""
    contract = contract_of(booking)
    if contract is None:
        return {"contract": None}
    now = timezone.now()
    running = in_period(contract, now)
    is_customer = acts_for(actor, booking.customer_id)
    waiting = running and not contract.consented and booking.state == BookingState.BOOKED
    return {
        "contract": contract,
        "contract_text": regime_text(contract.regime),
        "contract_notice": contract_notice(contract, booking.request.title),
        "period_ends_at": period_end(contract) if contract.regime == "withdrawal" else None,
        "may_withdraw": is_customer and withdrawable(booking, contract, now),
        "consent_form": ConsentForm() if is_customer and waiting else None,
        "check_in_waits": waiting,
    }


@require_POST
@member_view
def booking_start_consent(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The customer ticks both boxes after checkout: the helper may check in now."""
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    form = ConsentForm(request.POST)
    choice = form.choice() if form.is_valid() else {}
    if not (choice.get("early_start") and choice.get("loss_acknowledged")):
        messages.error(request, gettext("Tick both boxes to let the work start now."))
        return redirect("web:booking_detail", booking.pk)
    try:
        consent_give(actor=actor, booking_id=booking.pk, **choice)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(
            request, gettext("Thank you. The helper can check in; a confirmation is on its way.")
        )
    return redirect("web:booking_detail", booking.pk)


@member_view
def booking_withdrawal(request: HttpRequest, booking_id: int) -> HttpResponse:
    """GET: the confirmation page ("Widerruf bestätigen"); POST: withdraw."""
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    if request.method == "POST":
        try:
            done = booking_withdraw(actor=actor, booking_id=booking.pk)
        except QuartierError as error:
            if error.status == 404:
                raise
            messages.error(request, friendly(error))
        else:
            assert done.withdrawn_at is not None
            received = timezone.localtime(done.withdrawn_at).strftime("%d.%m.%Y %H:%M")
            messages.success(
                request,
                gettext(
                    "Your withdrawal was received on %(when)s. The booking is cancelled; "
                    "the receipt is on its way by e-mail."
                )
                % {"when": received},
            )
        return redirect("web:booking_detail", booking.pk)
    contract = contract_of(booking)
    now = timezone.now()
    if actor.pk != booking.customer_id or not withdrawable(booking, contract, now):
        messages.error(request, friendly_closed())
        return redirect("web:booking_detail", booking.pk)
    assert contract is not None
    compensation = value_compensation(booking, contract, now)
    return render(
        request,
        "web/bookings/withdrawal.html",
        {
            "booking": booking,
            "contract": contract,
            "compensation_minor": compensation,
            "refund_minor": booking.price_minor - compensation if compensation else 0,
        },
    )


def friendly_closed() -> str:
    return gettext(
        "This booking can no longer be withdrawn from: the withdrawal period has ended or the "
        "job is over."
    )
