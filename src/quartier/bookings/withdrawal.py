"""A German consumer's right of withdrawal from a booking made at checkout.

- Which rules apply is decided at checkout (`consumer_terms`): Switzerland has no general
  right of withdrawal; in Germany a private helper (their own declaration, passed in by the
  caller as `Trader | None`, since payments lives above us) is shown as a private person;
  an urgent repair the customer asked for has none (§ 312g Abs. 2 Nr. 11 BGB); otherwise the
  consumer may withdraw within 14 days of the checkout (§ 355 BGB) and is shown the model
  notice and form naming the helper as the trader.
- Inside those 14 days the helper cannot check in until the customer has given both
  declarations — the early-start request and the acknowledgement that the right is lost on
  full performance (§ 356 Abs. 4 BGB) — each its own unticked box, at checkout or later on
  the booking page (`consent_give`).
- The withdrawal button (§ 356a BGB) works while the booking is booked or checked in and the
  14 days run: the booking is cancelled without any fee and a receipt with the content, date
  and time goes to the customer. After an early start the customer owes the value of the work
  done (§ 357a Abs. 2 BGB, `value_compensation`): the job is settled at its price and the rest
  refunded (`booking.withdrawn`: a credit note and the ledger's refund).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, InvalidInput
from quartier.events import record_event
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.jobs.services import request_transition
from quartier.jobs.states import RequestState

from .billing import minutes_between
from .cancellation import WITHDRAWAL_DAYS, WITHDRAWAL_MARKETS, Cancellation
from .changes import Trader, changes_lapse
from .models import Booking, CancelledBy
from .moves import booking_state_set
from .notices import tell_cancelled
from .selectors import get_booking_for
from .settlement import settled_payload
from .states import CHECKED_IN, BookingState
from .withdrawal_models import ConsumerContract, Regime
from .withdrawal_notices import confirm_contract

#: The version of the notice shown (`notifications/email/_contract_withdrawal.txt`).
NOTICE_VERSION = "2026-12"
#: While a withdrawal is possible (later the job is over or fully performed).
WITHDRAWABLE = frozenset({BookingState.BOOKED, CHECKED_IN})


@dataclass(frozen=True, slots=True)
class ConsumerTerms:
    regime: Regime
    trader: Trader | None = None


def consumer_terms(request: JobRequest, trader: Trader | None) -> ConsumerTerms:
    """What the customer of `request` is told at checkout about withdrawal."""
    if request.country not in WITHDRAWAL_MARKETS:
        return ConsumerTerms(Regime.NONE)
    if trader is None:
        return ConsumerTerms(Regime.PRIVATE)
    if request.urgent:
        return ConsumerTerms(Regime.URGENT, trader)
    return ConsumerTerms(Regime.WITHDRAWAL, trader)


def contract_record(
    booking: Booking, terms: ConsumerTerms, *, early_start: bool, loss_acknowledged: bool
) -> ConsumerContract:
    """At checkout, inside the booking's transaction: what was shown and declared."""
    now = timezone.now()
    trader = terms.trader
    right = terms.regime == Regime.WITHDRAWAL
    return ConsumerContract.objects.create(
        booking=booking,
        regime=terms.regime,
        concluded_at=now,
        trader_name=trader.name[:140] if trader else "",
        trader_address=trader.address[:200] if trader else "",
        trader_email=trader.email[:254] if trader else "",
        notice_version=NOTICE_VERSION if right else "",
        early_start_requested_at=now if right and early_start else None,
        loss_acknowledged_at=now if right and loss_acknowledged else None,
    )


def contract_preview(terms: ConsumerTerms) -> ConsumerContract:
    """The contract checkout would record (unsaved), for showing the notice."""
    trader = terms.trader
    return ConsumerContract(
        regime=terms.regime,
        concluded_at=timezone.now(),
        trader_name=trader.name if trader else "",
        trader_address=trader.address if trader else "",
        trader_email=trader.email if trader else "",
    )


def contract_of(booking: Booking | int) -> ConsumerContract | None:
    pk = booking if isinstance(booking, int) else booking.pk
    return ConsumerContract.objects.filter(booking_id=pk).first()


def period_end(contract: ConsumerContract) -> datetime:
    return contract.concluded_at + timedelta(days=WITHDRAWAL_DAYS)


def in_period(contract: ConsumerContract | None, now: datetime) -> bool:
    """Inside the withdrawal period of a contract that carries the right."""
    return (
        contract is not None
        and contract.regime == Regime.WITHDRAWAL
        and contract.withdrawn_at is None
        and now < period_end(contract)
    )


def check_in_gate(booking: Booking, now: datetime) -> None:
    """Inside the 14 days the work may start only at the consumer's express request."""
    contract = contract_of(booking)
    if contract is None or contract.consented or not in_period(contract, now):
        return
    until = timezone.localtime(period_end(contract))
    raise Conflict(
        "The customer has not yet asked for the work to start inside the 14-day withdrawal "
        "period. Check-in opens once they tick both boxes on the booking page, or after "
        f"{until:%d.%m.%Y %H:%M}.",
        code="withdrawal_consent_missing",
    )


def withdrawable(booking: Booking, contract: ConsumerContract | None, now: datetime) -> bool:
    """The withdrawal button shows (and works)."""
    return in_period(contract, now) and booking.state in WITHDRAWABLE


def value_compensation(booking: Booking, contract: ConsumerContract, now: datetime) -> int:
    """§ 357a Abs. 2 BGB: after an early start the consumer asked for (both declarations
    given), the share of the price in proportion to the work done — the minutes since
    check-in against the booked time, capped at the whole price, rounded half up. Nothing
    before the start or without the declarations."""
    if booking.state != CHECKED_IN or booking.started_at is None or not contract.consented:
        return 0
    booked = max(1, minutes_between(booking.starts_at, booking.ends_at))
    worked = min(minutes_between(booking.started_at, now), booked)
    return (2 * booking.price_minor * worked + booked) // (2 * booked)


def consent_check(*, early_start: bool, loss_acknowledged: bool) -> None:
    """Both boxes ticked, else 422 `consent_missing` naming each unticked one."""
    errors = {}
    if not early_start:
        errors["early_start"] = [
            "Tick this box if the helper should start within the withdrawal period; "
            "otherwise the check-in waits until it has ended."
        ]
    if not loss_acknowledged:
        errors["loss_acknowledged"] = [
            "Tick this box to confirm you know you lose the right of withdrawal once the "
            "work is fully done."
        ]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], code="consent_missing", errors=errors)


def consent_give(
    *, actor: User, booking_id: int, early_start: bool, loss_acknowledged: bool
) -> ConsumerContract:
    """The customer asks for the work to start inside the period, later than at checkout."""
    booking = get_booking_for(actor, booking_id)
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer can give these declarations.", code="wrong_party")
    contract = contract_of(booking)
    if contract is None or contract.regime != Regime.WITHDRAWAL:
        raise Conflict("This booking carries no right of withdrawal.", code="no_withdrawal_right")
    if booking.state != BookingState.BOOKED:
        raise Conflict("The work can no longer be asked to start.", code="illegal_state")
    consent_check(early_start=early_start, loss_acknowledged=loss_acknowledged)
    now = timezone.now()
    with transaction.atomic():
        given = ConsumerContract.objects.filter(
            pk=contract.pk, early_start_requested_at__isnull=True, withdrawn_at__isnull=True
        ).update(early_start_requested_at=now, loss_acknowledged_at=now)
        if given != 1:
            raise Conflict("These declarations are recorded already.", code="consent_given")
        contract.refresh_from_db()
        record_event(
            "booking.start_consented", booking_id=booking.pk, request_id=booking.request_id, at=now
        )
        confirm_contract(booking, contract, step="consent")
    return contract


def booking_withdraw(*, actor: User, booking_id: int) -> ConsumerContract:
    """The customer's withdrawal ("Widerruf bestätigen"): the booking is cancelled with no
    fee; after an early start the work done is settled and the rest refunded. Conflict
    `withdrawal_closed` outside the period or once the job is over."""
    booking = get_booking_for(actor, booking_id)
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer can withdraw from the contract.", code="wrong_party")
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("request").get(pk=booking.pk)
        contract = ConsumerContract.objects.select_for_update().filter(booking=locked).first()
        now = timezone.now()
        if contract is None or not withdrawable(locked, contract, now):
            raise Conflict(
                "This booking can no longer be withdrawn from: the withdrawal period has "
                "ended, the job is over, or there is no right of withdrawal.",
                code="withdrawal_closed",
            )
        compensation = value_compensation(locked, contract, now)
        refund = locked.price_minor - compensation if compensation else 0
        started = _withdrawn(locked, actor=actor, now=now)
        contract.withdrawn_at, contract.compensation_minor = now, compensation
        contract.refund_minor = refund
        contract.save(update_fields=["withdrawn_at", "compensation_minor", "refund_minor"])
        _money(locked, contract, started=started, now=now)
        tell_cancelled(locked, actor=actor, terms=Cancellation(withdrawal=True))
        confirm_contract(locked, contract, step="withdrawn")
    return contract


def _withdrawn(booking: Booking, *, actor: User, now: datetime) -> bool:
    """Cancel the booking and its request; True when the work had started."""
    note = "withdrawal by the customer (§ 355 BGB)"
    source = booking_state_set(
        booking,
        BookingState.CANCELLED,
        actor=actor,
        reason=note,
        at=now,
        cancelled_at=now,
        cancelled_by=actor,
        cancellation_reason=note,
    )
    started = source == CHECKED_IN
    if booking.request.is_multi:  # one place of several opens again
        from .multi import place_freed

        place_freed(booking, actor=actor, note=note)
    else:
        request_transition(
            request_id=booking.request_id,
            source=frozenset({RequestState.IN_PROGRESS if started else RequestState.BOOKED}),
            target=RequestState.CANCELLED,
            actor=actor,
            note=note,
        )
    if started:
        changes_lapse(booking, tell=False)  # the withdrawal is told; open proposals end
    terms = Cancellation(withdrawal=True)
    record_event(
        "booking.cancelled",
        booking_id=booking.pk,
        request_id=booking.request_id,
        by=CancelledBy.CUSTOMER,
        by_user_id=actor.pk,
        cancelled_at=now,
        **terms.payload(booking, reason=note),
    )
    return started


def _money(booking: Booking, contract: ConsumerContract, *, started: bool, now: datetime) -> None:
    """After an early start the job is settled at its price (no tip) and the part beyond
    the value compensation refunded: `booking.withdrawn` makes the credit note and the
    ledger's refund."""
    if contract.compensation_minor:
        Booking.objects.filter(pk=booking.pk).update(tip_minor=0)
        record_event("job.settled", **settled_payload(booking.pk, settled_at=now))
    record_event(
        "booking.withdrawn",
        booking_id=booking.pk,
        request_id=booking.request_id,
        withdrawn_at=now,
        started=started,
        currency=booking.currency,
        price_minor=booking.price_minor,
        compensation_minor=contract.compensation_minor,
        refund_minor=contract.refund_minor,
    )
