"""A helper answers an invitation from the inbox: take a fixed-price job, accept a quote
request at their own price, or decline.

Declining costs nothing: the rank is untouched (see dispatch.services.invitation_decline).
Quote requests are answered with an offer on the request's page instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.dispatch.direct import invitation_answer_with_offer
from quartier.dispatch.services import invitation_accept, invitation_decline
from quartier.errors import Conflict, QuartierError

from ..access import actor_of, role_view
from ..service_errors import friendly


@require_POST
@role_view("helper")
def accept(request: HttpRequest, invitation_id: int) -> HttpResponse:
    try:
        booking = invitation_accept(actor=actor_of(request), invitation_id=invitation_id)
    except Conflict as error:  # taken by someone faster, or no longer open
        messages.error(request, friendly(error))
        return redirect("web:helper_inbox")
    messages.success(request, gettext("The job is yours. Here is everything you need."))
    return redirect("web:booking_detail", booking.pk)


@require_POST
@role_view("helper")
def decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    try:
        invitation_decline(actor=actor_of(request), invitation_id=invitation_id)
    except Conflict as error:
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("Declined. This does not affect your ranking."))
    return redirect("web:helper_inbox")


@require_POST
@role_view("helper")
def offer(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Accept a request that takes quotes at your own price for the skill: an offer at your
    fixed price, else your hourly rate for the standard job, at the first possible time."""
    try:
        made = invitation_answer_with_offer(actor=actor_of(request), invitation_id=invitation_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
        return redirect("web:helper_inbox")
    messages.success(request, gettext("Your offer is sent to the customer."))
    return redirect("web:helper_request", made.request_id)
