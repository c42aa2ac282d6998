"""No-shows: one side reports, from the booked start on, that the other did not show up; an
operator decides once.

The report keeps what was known at that moment (check-in or not, the confirmation, "on my
way" and its ETA, the contact step, and the messages both sides sent — those the caller
passes in, as messaging lives above bookings). Upheld, the booking ends:

- the customer was not there: they owe the helper the fee a late cancellation would cost
  (the market's `fee_percent` of their share; the operator may lower it), booked and
  invoiced like a late cancellation's fee (payments/cancellation_fees.py, invoicing);
- the helper did not come: Quartier credits the customer a compensation (by default the same
  figure; payments/no_show.py books it), and the request goes back to dispatch only if the
  customer asked for another helper in their report (their consent).

Not upheld, nothing moves. A report is no verdict on anyone until an operator decides.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import record_event
from quartier.households.access import acts_for

from .cancellation import fee_of, market_terms
from .models import Booking, CancelledBy
from .plan_change_models import Absent, NoShowDecision, NoShowReport
from .plan_models import VisitPlan
from .plan_notices import BOTH, other_side, tell_plan
from .replacement import booking_end
from .selectors import get_booking_for
from .states import LIVE


def _iso(moment: object) -> str | None:
    return moment.isoformat() if moment is not None and hasattr(moment, "isoformat") else None


def known_facts(booking: Booking, messages: Mapping[str, object] | None) -> dict[str, object]:
    """What Quartier knows about the visit now, for the report (and the operator)."""
    plan = VisitPlan.objects.filter(pk=booking.pk).first()
    confirmed = plan is not None and plan.confirmed_for == booking.starts_at
    return {
        "starts_at": _iso(booking.starts_at),
        "checked_in_at": _iso(booking.started_at),
        "contacted_at": _iso(plan.contacted_at if plan else None),
        "confirmed_at": _iso(plan.confirmed_at if plan and confirmed else None),
        "on_my_way_at": _iso(plan.on_my_way_at if plan else None),
        "eta_at": _iso(plan.eta_at if plan else None),
        "messages": dict(messages or {}),
    }


def no_show_report(
    *,
    actor: User,
    booking_id: int,
    note: str = "",
    another_helper: bool = False,
    messages: Mapping[str, object] | None = None,
) -> NoShowReport:
    """A party reports that the other did not show up (from the booked start on)."""
    booking = get_booking_for(actor, booking_id)
    if acts_for(actor, booking.customer_id):
        absent = Absent.HELPER
    elif actor.pk == booking.helper_id:
        absent = Absent.CUSTOMER
    else:
        raise Forbidden("The customer or the helper reports a no-show.", code="wrong_party")
    if booking.state not in LIVE:
        raise Conflict("This visit is over; report a problem instead.", code="illegal_state")
    now = timezone.now()
    if now < booking.starts_at:
        raise Conflict("A no-show can be reported from the booked start on.", code="too_early")
    try:
        with transaction.atomic():
            report = NoShowReport.objects.create(
                booking=booking,
                reported_by=actor,
                absent=absent,
                note=note.strip()[:2000],
                facts=known_facts(booking, messages),
                another_helper=another_helper and absent == Absent.HELPER,
                reported_at=now,
            )
            record_event(
                "booking.no_show_reported",
                booking_id=booking.pk,
                report_id=report.pk,
                absent=absent,
                by_user_id=actor.pk,
            )
            tell_plan(booking, "no_show_reported", to=other_side(booking, actor), absent=absent)
    except IntegrityError:
        raise Conflict(
            "A no-show is already reported for this visit.", code="no_show_open"
        ) from None
    return report


def default_amount(booking: Booking) -> int:
    """What a late cancellation would cost the customer: the no-show fee, and the default
    compensation the other way round."""
    share = booking.price_minor - booking.partner_share_minor
    return fee_of(share, market_terms(booking.request.country).fee_percent)


def no_show_decide(
    *,
    actor: User,
    report_id: int,
    upheld: bool,
    resolution: str,
    amount_minor: int | None = None,
) -> NoShowReport:
    """An operator decides the report once; see the module's docstring for what follows."""
    if not actor.is_staff:
        raise Forbidden("Only operators decide no-shows.", code="not_an_operator")
    resolution = resolution.strip()[:2000]
    if not resolution:
        raise field_error("resolution", "Say what you decided and why.")
    report = NoShowReport.objects.select_related("booking__request").filter(pk=report_id).first()
    if report is None:
        raise NotFound("No such report.")
    booking = report.booking
    amount = _amount(booking, report, upheld, amount_minor)
    now = timezone.now()
    with transaction.atomic():
        decided = NoShowReport.objects.filter(pk=report.pk, decision=NoShowDecision.OPEN).update(
            decision=NoShowDecision.UPHELD if upheld else NoShowDecision.NOT_UPHELD,
            resolution=resolution,
            decided_by=actor,
            decided_at=now,
            fee_minor=amount if upheld and report.absent == Absent.CUSTOMER else 0,
            compensation_minor=amount if upheld and report.absent == Absent.HELPER else 0,
        )
        if not decided:
            raise Conflict("This report is decided already.", code="illegal_state")
        action = "no_show.uphold" if upheld else "no_show.dismiss"
        record_operator_action(actor, action, report, resolution)
        if upheld:
            _end_for_no_show(booking, report, actor, amount)
        tell_plan(booking, "no_show_decided", to=BOTH, absent=report.absent, upheld=upheld)
    report.refresh_from_db()
    return report


def _amount(booking: Booking, report: NoShowReport, upheld: bool, amount_minor: int | None) -> int:
    if not upheld:
        return 0
    if booking.state not in LIVE:
        raise Conflict(
            "The booking is no longer live; it cannot end as a no-show.", code="illegal_state"
        )
    cap = booking.price_minor - booking.partner_share_minor
    if report.absent == Absent.HELPER and booking.customer_id is None:
        cap = 0  # nobody to credit here: the partner's case settles it
    amount = default_amount(booking) if amount_minor is None else amount_minor
    if isinstance(amount, bool) or not 0 <= amount <= cap:
        raise field_error("amount_minor", f"Give an amount from 0 to {cap} (minor units).")
    return min(amount, cap)


def _end_for_no_show(booking: Booking, report: NoShowReport, actor: User, amount: int) -> None:
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    customer_absent = report.absent == Absent.CUSTOMER
    booking_end(
        locked,
        actor=actor,
        by=CancelledBy.OPERATOR,
        reason=f"No-show of the {report.absent}, decided by an operator.",
        redispatch=not customer_absent and report.another_helper,
        fee_minor=amount if customer_absent else 0,
        no_show=str(report.absent),
    )
    record_event(
        "booking.no_show_decided",
        booking_id=booking.pk,
        request_id=booking.request_id,
        report_id=report.pk,
        absent=str(report.absent),
        helper_id=booking.helper_id,
        customer_id=booking.customer_id,
        currency=booking.currency,
        fee_minor=amount if customer_absent else 0,
        compensation_minor=0 if customer_absent else amount,
        decided_at=timezone.now(),
        by_user_id=actor.pk,
    )
