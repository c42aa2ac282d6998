"""Saving the card a booking is paid with, on the payment provider's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from quartier.cards.services import card_setup_start
from quartier.errors import QuartierError

from ..access import actor_of, member_view
from ..service_errors import friendly


def card_setup_redirect(request: HttpRequest, booking_id: int) -> HttpResponse:
    """To the provider's page where the customer saves the card; back to the booking."""
    back = request.build_absolute_uri(reverse("web:booking_detail", args=[booking_id]))
    try:
        url = card_setup_start(
            actor=actor_of(request), booking_id=booking_id, success_url=back, cancel_url=back
        )
    except QuartierError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, friendly(error))
        return redirect("web:booking_detail", booking_id)
    return redirect(url)


@require_POST
@member_view
def booking_card(request: HttpRequest, booking_id: int) -> HttpResponse:
    return card_setup_redirect(request, booking_id)
