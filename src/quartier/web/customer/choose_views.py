"""Choosing a helper yourself: invite them to a request, book them at once at their fixed
price, ask them from their profile, book a past job's helper again, and favourites."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.accounts.selectors import helper_profile_get
from quartier.dispatch.again import booking_for_again
from quartier.dispatch.book_now import book_now_offer
from quartier.dispatch.direct import invitation_direct_create
from quartier.errors import QuartierError
from quartier.favourites.selectors import favourite_helper_ids, favourite_list
from quartier.favourites.services import favourite_add, favourite_remove
from quartier.jobs.selectors import request_list_for_customer
from quartier.jobs.states import OPEN_FOR_OFFERS

from ..access import actor_of, member_view
from ..fields import local_datetime_field
from ..service_errors import friendly


class BookNowForm(forms.Form):
    helper_id = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = local_datetime_field(_("Start"))


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """To the page the form came from (`next`, same site only), else `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@require_POST
@member_view
def request_invite(request: HttpRequest, request_id: int) -> HttpResponse:
    """Invite the chosen helper (`helper_id`) to the customer's open request."""
    try:
        helper_id = int(request.POST.get("helper_id", ""))
        invitation = invitation_direct_create(
            actor=actor_of(request), request_id=request_id, helper_id=helper_id
        )
    except ValueError:
        messages.error(request, gettext("Choose a helper."))
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        name = invitation.helper.first_name or invitation.helper.full_name
        messages.success(
            request, gettext("%(name)s is invited and will answer you here.") % {"name": name}
        )
    return _back(request, reverse("web:request_detail", args=[request_id]))


@require_POST
@member_view
def request_book_now(request: HttpRequest, request_id: int) -> HttpResponse:
    """Book a helper at their fixed price from the chosen start: their offer at that price
    is made at once, and the customer books it at the checkout like any offer."""
    form = BookNowForm(request.POST)
    back = reverse("web:request_detail", args=[request_id])
    if not form.is_valid():
        messages.error(request, gettext("Choose when the helper should start."))
        return redirect(back)
    try:
        offer = book_now_offer(
            actor=actor_of(request),
            request_id=request_id,
            helper_id=form.cleaned_data["helper_id"],
            starts_at=form.cleaned_data["starts_at"],
        )
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
        return redirect(back)
    return redirect("web:offer_accept", offer.pk)


@member_view
def helper_ask(request: HttpRequest, helper_id: int) -> HttpResponse:
    """From a helper's profile: invite them to one of your open requests, or post a new
    one for them alone."""
    profile = helper_profile_get(helper_id=helper_id)
    actor = actor_of(request)
    open_requests = request_list_for_customer(actor=actor).filter(state__in=OPEN_FOR_OFFERS)
    return render(
        request,
        "web/requests/ask.html",
        {"profile": profile, "requests": open_requests.order_by("-created_at")[:20]},
    )


@member_view
def booking_again(request: HttpRequest, booking_id: int) -> HttpResponse:
    """A completed job's helper again: the request form, filled in from the old one."""
    booking = booking_for_again(actor_of(request), booking_id)
    return redirect(reverse("web:request_new") + f"?again={booking.pk}")


@require_POST
@member_view
def favourite_toggle(request: HttpRequest, helper_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        if helper_id in favourite_helper_ids(customer_id=actor.pk, among=[helper_id]):
            favourite_remove(actor=actor, helper_id=helper_id)
            messages.success(request, gettext("Removed from your favourites."))
        else:
            favourite_add(actor=actor, helper_id=helper_id)
            messages.success(request, gettext("Added to your favourites."))
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    return _back(request, reverse("web:favourites"))


@member_view
def favourites(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request, "web/requests/favourites.html", {"favourites": favourite_list(actor=actor)}
    )
