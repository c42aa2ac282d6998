"""Public pages, the member's start page and the postcode suggestions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quartier.accounts.selectors import api_token_list_for, helper_profile_of
from quartier.bookings.selectors import booking_list_for
from quartier.geo.selectors import postcode_search
from quartier.jobs.selectors import request_list_for_customer
from quartier.jobs.states import RequestState

from .access import actor_of, member_view
from .selectors import marketplace_stats, pro_profile_of, skill_groups

LIVE_BOOKING_STATES = (RequestState.BOOKED, RequestState.IN_PROGRESS, RequestState.COMPLETED)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"stats": marketplace_stats(), "skill_groups": skill_groups()},
    )


@member_view
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context: dict[str, object] = {"actor": actor, "api_tokens": api_token_list_for(actor=actor)}
    if actor.is_customer:
        context["requests"] = request_list_for_customer(actor=actor)[:5]
    if actor.is_helper:
        context["helper_profile"] = helper_profile_of(actor)
        context["jobs"] = booking_list_for(actor=actor).filter(
            helper=actor, request__state__in=LIVE_BOOKING_STATES
        )[:5]
    if actor.is_pro:
        context["pro_profile"] = pro_profile_of(actor)
    return render(request, "web/dashboard.html", context)


@require_GET
def postcode_suggest(request: HttpRequest) -> HttpResponse:
    """`<option>`s for the postcode field's datalist (htmx swaps them in as you type)."""
    query = (request.GET.get("q") or request.GET.get("postcode") or "").strip()[:50]
    country = request.GET.get("country", "").upper()
    rows = (
        postcode_search(query=query, country=country if country in {"CH", "DE"} else None)
        if query
        else []
    )
    return render(request, "web/partials/postcode_options.html", {"postcodes": rows})
