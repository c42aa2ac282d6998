"""Changes during the visit: extra time, work or material the helper proposes while checked
in, as price lines; the customer approves or rejects each one. Never added silently.

- Only the booked helper proposes, only while checked in; only the booking's customer answers
  (an operator cannot consent for them). A proposal is one line of the kinds, quantities,
  unit prices and VAT rates an offer's lines have (`pricing.line_check`). An hourly job's
  time is billed by the clock at check-out, so it takes no labour change; a job the partner
  pays in full takes no change at all (its price is the partner's program's).
- Approval appends the line to the booking's offer and the price follows (the sum of the
  lines): the sign-off's `job.settled` — so the invoice and the ledger — sees approved lines
  only. A proposal still open at check-out lapses there: it is never billed, and the
  customer is told. A helper who still wants it proposes it on a next visit.
- A German consumer at home with a trader (the helper's own declaration, passed in by the
  caller as `Trader`, since payments lives above us) concludes an off-premises contract:
  the change carries a right of withdrawal, shown with the trader's identity, and approval
  needs the two separate declarations (start now; right lost on full performance,
  § 356 Abs. 4 BGB). Not so for work that is part of the urgent repair the customer asked
  for (§ 312g Abs. 2 Nr. 11 BGB): the helper marks it, on an urgent request only.
- Every proposal and answer is a stored event (the audit) and is told to the other side in
  their language; every approval is confirmed to the customer by e-mail (the durable medium).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from quartier.events import record_event
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act

from .cancellation import WITHDRAWAL_MARKETS
from .change_models import ChangeStatus, VisitChange
from .change_notices import confirm_change, tell_change
from .models import Booking, LineKind, PaymentMethod, PriceLine, Pricing
from .pricing import MAX_PRICE_MINOR, line_check
from .selectors import get_booking_for
from .states import CHECKED_IN, BookingState

#: The version of the withdrawal notice shown (`notifications/email/_withdrawal_notice.txt`).
NOTICE_VERSION = "2026-12"
MAX_CHANGES = 20


@dataclass(frozen=True, slots=True)
class Trader:
    """The helper as the trader a consumer contracts with, as the withdrawal notice names them."""

    name: str
    address: str
    email: str


def change_list_for(*, actor: User, booking_id: int) -> list[VisitChange]:
    """The booking's changes, oldest first, for its parties (and operators)."""
    booking = get_booking_for(actor, booking_id)
    return list(VisitChange.objects.filter(booking=booking).select_related("decided_by"))


def _change_for(actor: User, booking_id: int, change_id: int) -> tuple[Booking, VisitChange]:
    booking = get_booking_for(actor, booking_id)
    change = VisitChange.objects.filter(pk=change_id, booking=booking).first()
    if change is None:
        raise NotFound("No such change.")
    return booking, change


def _in_visit(booking: Booking) -> None:
    if booking.state != CHECKED_IN:
        label = str(BookingState(booking.state).label).lower()
        raise Conflict(
            f"This booking is {label}: changes are proposed and answered while the helper "
            "is checked in.",
            code="illegal_state",
        )


def _locked(booking: Booking) -> Booking:
    """The booking row, locked until the transaction ends (check-out waits, or we see it)."""
    return Booking.objects.select_for_update().select_related("offer", "request").get(pk=booking.pk)


def _about(change: VisitChange, actor: User | None) -> dict[str, object]:
    booking = change.booking
    return {
        "change_id": change.pk,
        "booking_id": booking.pk,
        "request_id": booking.request_id,
        "by_user_id": actor.pk if actor else None,
        "line_kind": change.kind,
        "total_minor": change.total_minor,
        "currency": booking.currency,
        "withdrawal_right": change.withdrawal_right,
    }


def _proposal_check(booking: Booking, raw: Mapping[str, Any], urgent_repair: bool) -> None:
    """What only the booking can say is wrong with a proposal (the line checked apart)."""
    if booking.payment_method == PaymentMethod.PARTNER:
        raise Conflict(
            "The partner pays this job in full: extra work goes through the partner.",
            code="partner_pays",
        )
    if booking.customer_id is None:
        raise Conflict("Nobody can approve changes yet on this booking.", code="no_customer")
    if booking.offer.pricing == Pricing.HOURLY and raw.get("kind") == LineKind.LABOUR:
        raise field_error(
            "kind",
            "This job is billed by the hour: extra time is counted at check-out. Propose "
            "travel, consumables or material.",
            code="labour_billed_by_time",
        )
    if urgent_repair and not booking.request.urgent:
        raise field_error(
            "urgent_repair",
            "Only a request the customer marked as an urgent repair has urgent-repair work.",
            code="not_urgent",
        )


def change_propose(
    *,
    actor: User,
    booking_id: int,
    line: Mapping[str, Any],
    trader: Trader | None,
    note: str = "",
    urgent_repair: bool = False,
) -> VisitChange:
    """The booked helper proposes one price line while checked in; the customer is told.
    `trader` is the helper's identity when they are a trader by their own declaration."""
    booking = get_booking_for(actor, booking_id)
    if actor.pk != booking.helper_id:
        raise Forbidden("Only the booked helper proposes changes.", code="wrong_party")
    _in_visit(booking)  # the state speaks before the body
    checked = line_check(line, currency=booking.currency)
    if checked.total_minor <= 0:
        raise field_error("unit_minor", "A change must cost something.", code="change_free")
    if len(note.strip()) > 500:
        raise field_error("note", "At most 500 characters.", code="note_too_long")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(booking)
        _in_visit(locked)
        _proposal_check(locked, line, urgent_repair)
        if VisitChange.objects.filter(booking=locked).count() >= MAX_CHANGES:
            raise Conflict(f"At most {MAX_CHANGES} changes per visit.", code="too_many_changes")
        if locked.price_minor + checked.total_minor > MAX_PRICE_MINOR:
            raise field_error(
                "unit_minor", "The price must stay at most 100,000.", code="price_out_of_range"
            )
        withdrawal = (
            locked.request.country in WITHDRAWAL_MARKETS
            and trader is not None
            and not urgent_repair
        )
        change = VisitChange.objects.create(
            booking=locked,
            kind=checked.kind,
            label=checked.label,
            quantity=checked.quantity,
            unit_minor=checked.unit_minor,
            vat_rate=checked.vat_rate,
            total_minor=checked.total_minor,
            note=note.strip(),
            proposed_by=actor,
            proposed_at=now,
            urgent_repair=urgent_repair,
            withdrawal_right=withdrawal,
            **_trader_fields(trader if withdrawal else None),
        )
        record_event("booking.change_proposed", **_about(change, actor))
        tell_change(change, "proposed")
    return change


def _trader_fields(trader: Trader | None) -> dict[str, str]:
    if trader is None:
        return {}
    return {
        "trader_name": trader.name[:140],
        "trader_address": trader.address[:200],
        "trader_email": trader.email[:254],
    }


def _answer_check(actor: User, booking: Booking, change: VisitChange) -> None:
    if not acts_for(actor, booking.customer_id):
        raise Forbidden("Only the customer answers a proposed change.", code="wrong_party")
    _in_visit(booking)
    if change.status != ChangeStatus.PROPOSED:
        raise Conflict("This change has been answered already.", code="change_answered")


def change_approve(
    *,
    actor: User,
    booking_id: int,
    change_id: int,
    early_start: bool = False,
    loss_acknowledged: bool = False,
) -> VisitChange:
    """The customer approves: the line joins the booking's price. With a right of withdrawal
    both declarations are needed (each its own unticked box). A confirmation e-mail with
    the change's content goes to the customer."""
    booking, change = _change_for(actor, booking_id, change_id)
    _answer_check(actor, booking, change)
    if change.withdrawal_right and not (early_start and loss_acknowledged):
        errors = {}
        if not early_start:
            errors["early_start"] = [
                "Tick this box if the helper should do the extra work now, within the "
                "withdrawal period; otherwise reject the change."
            ]
        if not loss_acknowledged:
            errors["loss_acknowledged"] = [
                "Tick this box to confirm you know you lose the right of withdrawal once "
                "the work is fully done."
            ]
        raise InvalidInput(next(iter(errors.values()))[0], code="consent_missing", errors=errors)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(booking)
        change = VisitChange.objects.select_for_update().get(pk=change.pk)
        _answer_check(actor, locked, change)
        consent: dict[str, object] = {}
        if change.withdrawal_right:
            consent = {
                "early_start_requested_at": now,
                "loss_acknowledged_at": now,
                "notice_version": NOTICE_VERSION,
            }
        line = _append_line(locked, change)
        VisitChange.objects.filter(pk=change.pk, status=ChangeStatus.PROPOSED).update(
            status=ChangeStatus.APPROVED,
            decided_by=actor,
            decided_at=now,
            price_line=line,
            confirmation_sent_at=now,
            **consent,
        )
        change.refresh_from_db()
        record_event("booking.change_approved", **_about(change, actor))
        record_delegate_act(actor, booking.customer_id, "change.approve", change)
        tell_change(change, "approved")
        confirm_change(change)
    return change


def _append_line(booking: Booking, change: VisitChange) -> PriceLine:
    """The change's line after the offer's others; the offer's and the booking's price are
    the sum of the lines again (a partner's share, if any, stays what the partner pays)."""
    lines = PriceLine.objects.filter(offer_id=booking.offer_id)
    last = lines.aggregate(p=Max("position"))["p"]
    line = PriceLine.objects.create(
        offer_id=booking.offer_id,
        position=0 if last is None else last + 1,
        kind=change.kind,
        label=change.label,
        quantity=change.quantity,
        unit_minor=change.unit_minor,
        vat_rate=change.vat_rate,
        total_minor=change.total_minor,
    )
    total = lines.aggregate(t=Sum("total_minor"))["t"]
    type(booking.offer).objects.filter(pk=booking.offer_id).update(price_minor=total)
    Booking.objects.filter(pk=booking.pk).update(price_minor=total)
    return line


def change_reject(*, actor: User, booking_id: int, change_id: int) -> VisitChange:
    """The customer says no: nothing is billed; the helper is told."""
    booking, change = _change_for(actor, booking_id, change_id)
    _answer_check(actor, booking, change)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(booking)
        change = VisitChange.objects.select_for_update().get(pk=change.pk)
        _answer_check(actor, locked, change)
        VisitChange.objects.filter(pk=change.pk, status=ChangeStatus.PROPOSED).update(
            status=ChangeStatus.REJECTED, decided_by=actor, decided_at=now
        )
        change.refresh_from_db()
        record_event("booking.change_rejected", **_about(change, actor))
        record_delegate_act(actor, booking.customer_id, "change.reject", change)
        tell_change(change, "rejected")
    return change


def changes_lapse(booking: Booking, *, tell: bool = True) -> int:
    """At check-out (inside its transaction, after the booking moved): what is still
    proposed lapses, unbilled, and the customer is told (not when the booking is released
    to a partner's technicians: that is told on its own). Returns how many lapsed."""
    now = timezone.now()
    pending = list(VisitChange.objects.filter(booking_id=booking.pk, status=ChangeStatus.PROPOSED))
    for change in pending:
        VisitChange.objects.filter(pk=change.pk, status=ChangeStatus.PROPOSED).update(
            status=ChangeStatus.LAPSED, decided_at=now
        )
        change.refresh_from_db()
        record_event("booking.change_lapsed", **_about(change, None))
        if tell:
            tell_change(change, "lapsed")
    return len(pending)


def changes_pending(booking: Booking) -> int:
    """How many proposals await the customer's answer (the check-out form warns)."""
    return VisitChange.objects.filter(booking_id=booking.pk, status=ChangeStatus.PROPOSED).count()
