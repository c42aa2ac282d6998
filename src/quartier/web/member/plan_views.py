"""Before the visit and when plans change, on the booking page: the helper's contact step,
confirmation and "on my way"; the customer's "another helper"; a new time proposed and
answered by either side; a no-show reported (bookings.before_visit, reschedule, no_show)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.bookings.before_visit import booking_confirm, booking_contacted, booking_on_my_way
from quartier.bookings.models import Booking
from quartier.bookings.no_show import no_show_report
from quartier.bookings.on_site import sign_off_code_send, sign_off_on_site
from quartier.bookings.plan_selectors import contact_checklist, plan_view
from quartier.bookings.replacement import booking_another_helper
from quartier.bookings.reschedule import (
    reschedule_accept,
    reschedule_decline,
    reschedule_propose,
)
from quartier.bookings.selectors import get_booking_for
from quartier.messaging.selectors import message_facts

from ..access import actor_of, back_to, member_view
from ..service_errors import attempt

ETA_CHOICES = [10, 15, 20, 30, 45, 60, 90, 120]


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("New start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    note = forms.CharField(label=gettext_lazy("Why (optional)"), max_length=500, required=False)


def plan_context(actor: User, booking: Booking) -> dict[str, object]:
    """What the booking page shows of the steps before the visit."""
    now = timezone.now()
    is_helper = actor.pk == booking.helper_id
    return {
        "plan": plan_view(booking, now=now),
        "checklist": contact_checklist(booking) if is_helper else [],
        "eta_choices": ETA_CHOICES,
        "reschedule_form": RescheduleForm(),
        "may_report_no_show": booking.state in ("booked", "in_progress")
        and now >= booking.starts_at,
        # A partner's customer without an account signs off on the helper's phone.
        "on_site_sign_off": is_helper
        and booking.partner_id is not None
        and booking.state == "awaiting_sign_off",
    }


def _step(
    request: HttpRequest, booking_id: int, action: Callable[[], object], done: str
) -> HttpResponse:
    attempt(request, action, done)
    return back_to(request, "web:booking_detail", booking_id)


@require_POST
@member_view
def contacted(request: HttpRequest, booking_id: int) -> HttpResponse:
    action = partial(booking_contacted, actor=actor_of(request), booking_id=booking_id)
    return _step(request, booking_id, action, gettext("Noted: you contacted the customer."))


@require_POST
@member_view
def confirm(request: HttpRequest, booking_id: int) -> HttpResponse:
    action = partial(booking_confirm, actor=actor_of(request), booking_id=booking_id)
    return _step(request, booking_id, action, gettext("Confirmed. The customer is told."))


@require_POST
@member_view
def on_my_way(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        minutes = int(request.POST.get("eta_minutes", ""))
    except ValueError:
        minutes = 0
    action = partial(
        booking_on_my_way, actor=actor_of(request), booking_id=booking_id, eta_minutes=minutes
    )
    return _step(
        request, booking_id, action, gettext("Safe travels! The customer sees when you arrive.")
    )


@require_POST
@member_view
def another_helper(request: HttpRequest, booking_id: int) -> HttpResponse:
    action = partial(booking_another_helper, actor=actor_of(request), booking_id=booking_id)
    done = gettext("We are looking for another helper for you. Nothing is charged.")
    return _step(request, booking_id, action, done)


@require_POST
@member_view
def reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Propose a new time (the form), or answer the open proposal (accept / decline)."""
    actor = actor_of(request)
    answer = request.POST.get("action", "propose")
    action: Callable[[], object]
    if answer == "accept":
        action = partial(reschedule_accept, actor=actor, booking_id=booking_id)
        return _step(request, booking_id, action, gettext("The new time is agreed."))
    if answer == "decline":
        action = partial(reschedule_decline, actor=actor, booking_id=booking_id)
        return _step(request, booking_id, action, gettext("Declined. The booked time stands."))
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose the new day and time."))
        return back_to(request, "web:booking_detail", booking_id)
    starts_at: datetime = form.cleaned_data["starts_at"]
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    action = partial(
        reschedule_propose,
        actor=actor,
        booking_id=booking_id,
        starts_at=starts_at,
        note=form.cleaned_data["note"],
    )
    done = gettext("Proposed. The other side is asked; until then the booked time stands.")
    return _step(request, booking_id, action, done)


@require_POST
@member_view
def no_show(request: HttpRequest, booking_id: int) -> HttpResponse:
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    facts = message_facts(
        request_id=booking.request_id, helper_id=booking.helper_id, customer_id=booking.customer_id
    )
    action = partial(
        no_show_report,
        actor=actor,
        booking_id=booking_id,
        note=request.POST.get("note", "")[:2000],
        another_helper=request.POST.get("another_helper") == "on",
        messages=facts,
    )
    done = gettext("Reported. Our team looks at what is known and decides.")
    return _step(request, booking_id, action, done)


@require_POST
@member_view
def sign_off_code(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The helper has a one-time code e-mailed to the partner's customer."""
    action = partial(sign_off_code_send, actor=actor_of(request), booking_id=booking_id)
    done = gettext("A code is on its way to the customer's e-mail. It is valid for 15 minutes.")
    return _step(request, booking_id, action, done)


@require_POST
@member_view
def sign_off_on_site_post(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The partner's customer signs off on the helper's phone: signature or code."""
    action = partial(
        sign_off_on_site,
        actor=actor_of(request),
        booking_id=booking_id,
        method=request.POST.get("method", ""),
        signer_name=request.POST.get("signer_name", ""),
        signature=request.POST.get("signature", "")[:200_001],
        code=request.POST.get("code", "")[:12],
    )
    return _step(request, booking_id, action, gettext("Signed off. Thank you!"))
