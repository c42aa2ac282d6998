"""The member's start page: their latest requests, jobs and profiles, whatever their roles."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.accounts.selectors import api_token_list_for, helper_profile_of
from quartier.accounts.suspension import open_appeal, suspension_appeal
from quartier.bookings.selectors import booking_list_for
from quartier.jobs.selectors import request_list_for_customer
from quartier.jobs.states import RequestState

from ..access import actor_of, member_view
from ..commission_hold import commission_hold_of
from ..selectors import pro_profile_of
from ..service_errors import attempt

LIVE_BOOKING_STATES = (RequestState.BOOKED, RequestState.IN_PROGRESS, RequestState.COMPLETED)


@member_view
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context: dict[str, object] = {"actor": actor, "api_tokens": api_token_list_for(actor=actor)}
    if actor.is_customer:
        context["requests"] = request_list_for_customer(actor=actor)[:5]
    if actor.is_helper:
        profile = helper_profile_of(actor)
        context["helper_profile"] = profile
        context["appeal"] = open_appeal(profile)
        context.update(commission_hold_of(actor))
        context["jobs"] = booking_list_for(actor=actor).filter(
            helper=actor, request__state__in=LIVE_BOOKING_STATES
        )[:5]
    if actor.is_pro:
        context["pro_profile"] = pro_profile_of(actor)
    return render(request, "web/dashboard.html", context)


@require_POST
@member_view
def suspension_appeal_post(request: HttpRequest) -> HttpResponse:
    """A suspended helper answers the suspension from their start page."""
    text = request.POST.get("text", "")
    done = gettext("Sent. A person at Quartier will read it and reply.")
    attempt(request, partial(suspension_appeal, actor=actor_of(request), text=text), done)
    return redirect("web:dashboard")
