"""Reads of the steps before the visit, for pages and the API (both parties see the same)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from .before_visit import (
    CONFIRM_OPENS,
    ON_MY_WAY_OPENS,
    is_confirmed,
    may_ask_another_helper,
    needs_confirmation,
)
from .models import Booking, LineKind
from .offer_terms import offer_lines
from .plan_change_models import NoShowReport, ProposalStatus, RescheduleProposal
from .plan_models import VisitPlan
from .states import BookingState


@dataclass(frozen=True)
class PlanView:
    booking: Booking
    contacted_at: datetime | None
    confirmed_at: datetime | None
    needs_confirmation: bool
    confirm_opens_at: datetime
    may_confirm: bool
    on_my_way_at: datetime | None
    eta_at: datetime | None
    may_leave: bool  # "on my way" is open
    may_ask_another_helper: bool
    proposal: RescheduleProposal | None
    no_show: NoShowReport | None

    @property
    def booked(self) -> bool:
        return self.booking.state == BookingState.BOOKED


def plan_view(booking: Booking, *, now: datetime | None = None) -> PlanView:
    now = now or timezone.now()
    plan = VisitPlan.objects.filter(pk=booking.pk).first()
    confirmed = is_confirmed(booking, plan)
    booked = booking.state == BookingState.BOOKED
    opens = booking.starts_at - CONFIRM_OPENS
    on_way = plan.on_my_way_at if plan and booked else None
    return PlanView(
        booking=booking,
        contacted_at=plan.contacted_at if plan else None,
        confirmed_at=plan.confirmed_at if plan and confirmed else None,
        needs_confirmation=needs_confirmation(booking),
        confirm_opens_at=opens,
        may_confirm=booked and not confirmed and now >= opens,
        on_my_way_at=on_way,
        eta_at=plan.eta_at if plan and on_way else None,
        may_leave=booked and now >= booking.starts_at - ON_MY_WAY_OPENS,
        may_ask_another_helper=may_ask_another_helper(booking, plan, now),
        proposal=RescheduleProposal.objects.filter(
            booking=booking, status=ProposalStatus.PROPOSED
        ).first(),
        no_show=NoShowReport.objects.filter(booking=booking)
        .order_by("-reported_at", "-id")
        .first(),
    )


def contact_checklist(booking: Booking) -> list[str]:
    """What the helper clarifies when they call or message the customer, from the request
    (in the active language)."""
    job = booking.request
    when = timezone.localtime(booking.starts_at)
    items = [
        gettext("Introduce yourself and check the address: %(address)s, %(postcode)s %(locality)s")
        % {"address": job.street_address, "postcode": job.postcode, "locality": job.locality},
        gettext("Agree the time: %(when)s") % {"when": when.strftime("%d.%m.%Y %H:%M")},
        gettext('Ask what exactly is needed for "%(title)s"') % {"title": job.title},
        gettext("Ask about access: floor, lift, parking, pets"),
    ]
    if job.description.strip():
        first = job.description.strip().splitlines()[0][:200]
        items.insert(3, gettext("Go through their description: %(text)s") % {"text": first})
    material = [line.label for line in offer_lines(booking.offer) if line.kind == LineKind.MATERIAL]
    if material:
        items.append(gettext("Say what you bring: %(things)s") % {"things": ", ".join(material)})
    if job.urgent:
        items.append(gettext("It is urgent: say when you can be there at the earliest"))
    return items
