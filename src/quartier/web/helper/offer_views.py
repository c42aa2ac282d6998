"""The helper's page of a request: what they may see of it (photos too, when invited), and
their offer: make one, change an open one in one step, withdraw it, or make a new one after
withdrawing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.bookings.counters import counter_of_helper
from quartier.bookings.models import Offer, OfferStatus
from quartier.bookings.offer_changes import offer_change
from quartier.bookings.selectors import offer_list_for_request, offer_outside_window
from quartier.bookings.services import offer_create, offer_withdraw
from quartier.dispatch.request_photos import is_party
from quartier.errors import QuartierError
from quartier.jobs.models import JobRequest
from quartier.jobs.photos import request_photos
from quartier.jobs.selectors import get_request_for, request_view
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.money import to_major

from ..access import actor_of, posted, role_view
from ..selectors import helper_rate_for_skill
from ..service_errors import add_to_form, friendly
from ..team import team_context
from .offer_forms import OFFER_FIELDS, OfferForm

helper_view = role_view("helper")


def _initial(offer: Offer | None) -> dict[str, Any]:
    """The open offer's terms, to change them (a total price; lines are made anew)."""
    if offer is None:
        return {}
    return {
        "price": to_major(offer.price_minor),
        "proposed_start": timezone.localtime(offer.proposed_start),
        "proposed_end": timezone.localtime(offer.proposed_end),
        "message": offer.message,
    }


def _send(form: OfferForm, *, actor: Any, job: JobRequest, live: Offer | None) -> None:
    """Make the offer, or change the open one; raises the service's errors."""
    data = form.cleaned_data
    price_minor, terms = form.offer()
    fields = {
        "price_minor": price_minor,
        "proposed_start": data["proposed_start"],
        "proposed_end": data["proposed_end"],
        "message": data["message"],
        "terms": terms,
    }
    if live is None:
        offer_create(actor=actor, request_id=job.pk, **fields)
    else:
        offer_change(actor=actor, offer_id=live.pk, **fields)


@helper_view
def request_offer(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request as the helper may see it (locality, not the address), and the offer form."""
    actor = actor_of(request)
    job = get_request_for(actor, request_id)
    if job.customer_id == actor.pk:
        return redirect("web:request_detail", job.pk)
    own = list(offer_list_for_request(actor=actor, request_id=job.pk, checked=job))
    latest = own[-1] if own else None
    live = latest if latest and latest.status == OfferStatus.PENDING else None
    # Once the customer countered, the helper accepts or withdraws: no other terms (one round).
    counter = counter_of_helper(request_id=job.pk, helper_id=actor.pk)
    editable = live is not None and live.partner_id is None and counter is None
    may_offer = job.state in OPEN_FOR_OFFERS and (
        (
            (latest is None or latest.status in (OfferStatus.WITHDRAWN, OfferStatus.DECLINED))
            and counter is None
        )
        or editable
    )
    if job.visit_count and job.state in OPEN_FOR_OFFERS:  # one offer per visit: a new one
        may_offer, live = True, None
    form = None
    if may_offer:
        # the skill's own rate, else the profile's; the profile is kept: request_view uses it
        rate = helper_rate_for_skill(actor, job.skill_id)
        form = OfferForm(posted(request), job=job, rate_minor=rate, initial=_initial(live))
        if request.method == "POST" and form.is_valid():
            try:
                _send(form, actor=actor, job=job, live=live)
            except QuartierError as error:
                if error.status == 404:
                    raise
                add_to_form(form, error, OFFER_FIELDS)
            else:
                sent = gettext("Your offer is changed.") if live else None
                messages.success(request, sent or gettext("Your offer is sent to the customer."))
                return redirect("web:helper_request", job.pk)
    context = {
        "job": request_view(actor, job),
        "offer": latest,
        "live": live,
        "outside_window": live is not None and offer_outside_window(live),
        "counter": counter,
        "form": form,
        "currency": job.currency,
        "photos": list(request_photos(job.pk)) if is_party(actor, job, offered=bool(own)) else [],
        **team_context(actor, job),
    }
    return render(request, "web/helper/request.html", context)


@require_POST
@helper_view
def offer_withdraw_view(request: HttpRequest, offer_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        offer = offer_withdraw(actor=actor, offer_id=offer_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
        return redirect("web:helper_inbox")
    messages.success(request, gettext("Your offer is withdrawn. You can make a new one."))
    return redirect("web:helper_request", offer.request_id)
