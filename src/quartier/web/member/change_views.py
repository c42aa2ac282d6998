"""Changes during the visit: the helper proposes, the customer approves or rejects."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.bookings.changes import change_approve, change_propose, change_reject
from quartier.bookings.selectors import get_booking_for
from quartier.errors import QuartierError

from ..access import actor_of, back_to, member_view
from ..provider import trader_of
from ..service_errors import add_to_form, friendly
from .booking_views import detail_page
from .change_forms import CHANGE_FIELDS, ChangeForm


@require_POST
@member_view
def change_new(request: HttpRequest, booking_id: int) -> HttpResponse:
    """The helper proposes a change; a bad one shows the form again with its errors."""
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    form = ChangeForm(request.POST, booking=booking)
    if form.is_valid():
        try:
            change_propose(
                actor=actor,
                booking_id=booking.pk,
                trader=trader_of(booking.helper),
                **form.proposal(),
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            if error.status != 422:
                messages.error(request, friendly(error))
                return back_to(request, "web:booking_detail", booking.pk)
            add_to_form(form, error, CHANGE_FIELDS)
        else:
            messages.success(request, gettext("Proposed. The customer is asked to approve it."))
            return back_to(request, "web:booking_detail", booking.pk)
    return detail_page(request, actor, booking, change_form=form)


@require_POST
@member_view
def change_answer(request: HttpRequest, booking_id: int, change_id: int) -> HttpResponse:
    """The customer approves (with both boxes where they apply) or rejects a change."""
    actor = actor_of(request)
    approve = request.POST.get("answer") == "approve"
    try:
        if approve:
            change_approve(
                actor=actor,
                booking_id=booking_id,
                change_id=change_id,
                early_start=request.POST.get("early_start") == "on",
                loss_acknowledged=request.POST.get("loss_acknowledged") == "on",
            )
        else:
            change_reject(actor=actor, booking_id=booking_id, change_id=change_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(
            request,
            gettext("Approved. A confirmation is on its way by e-mail.")
            if approve
            else gettext("Rejected. Nothing is billed for it."),
        )
    return back_to(request, "web:booking_detail", booking_id)
