"""Connecting the helper's account at the payment provider (card and TWINT payments)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from quartier.cards.services import connect_onboarding_start
from quartier.errors import QuartierError

from ..access import actor_of, role_view
from ..service_errors import friendly

helper_view = role_view("helper")


@helper_view
def provider_connect(request: HttpRequest) -> HttpResponse:
    """POST from the payout page, or GET when the provider's link expired (its refresh
    address): on to the provider's onboarding; back to the payout page after."""
    here = request.build_absolute_uri(reverse("web:helper_provider_connect"))
    back = request.build_absolute_uri(reverse("web:helper_payout"))
    try:
        url = connect_onboarding_start(actor=actor_of(request), refresh_url=here, return_url=back)
    except QuartierError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, friendly(error))
        return redirect("web:helper_payout")
    return redirect(url)
