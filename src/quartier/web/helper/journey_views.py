"""The helper's journey: onboarding (profile, skills, hours), inbox and offers, jobs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from quartier.accounts.selectors import helper_profile_of
from quartier.accounts.services import helper_profile_upsert
from quartier.bookings.availability import availability_for, weekly_slots_set
from quartier.bookings.selectors import booking_list_for
from quartier.catalog.selectors import helper_skill_list
from quartier.catalog.services import helper_skills_set
from quartier.dispatch.selectors import invitation_list_for_helper
from quartier.errors import QuartierError
from quartier.geo.geocoding import locate_postcode
from quartier.jobs.selectors import get_request_for, request_view
from quartier.matching.explain import profile_standing
from quartier.matching.explain import why_not as why_not_reasons
from quartier.matching.selectors import open_requests_for_helper
from quartier.money import to_minor

from ..access import actor_of, posted, role_view
from ..selectors import helper_offers_by_request, helper_profile_and_skill_count
from ..service_errors import add_to_form
from .area_map import area_map
from .forms import AvailabilityForm, HelperProfileForm, SkillsForm
from .price_views import price_forms

helper_view = role_view("helper")


@helper_view
def onboarding(request: HttpRequest) -> HttpResponse:
    """Step 1: where, how far, at what rate; the contractor terms, confirmed once."""
    actor = actor_of(request)
    profile = helper_profile_of(actor)
    form = HelperProfileForm(posted(request), profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            helper_profile_upsert(
                actor=actor,
                country=data["country"],
                postcode=data["postcode"],
                service_radius_km=data["service_radius_km"],
                hourly_rate_minor=to_minor(data["hourly_rate"]),
                bio=data["bio"],
                languages=data["languages"],
                accept_contractor_terms=bool(data.get("accept_contractor_terms")),
            )
        except QuartierError as error:
            add_to_form(form, error, {"hourly_rate_minor": "hourly_rate"})
        else:
            messages.success(request, gettext("Your profile is saved."))
            return redirect("web:helper_skills")
    area = None
    if profile is not None:
        area = area_map(
            latitude=profile.latitude,
            longitude=profile.longitude,
            radius_km=profile.service_radius_km,
            home=profile.locality,
        )
    return render(
        request,
        "web/helper/onboarding.html",
        {"form": form, "profile": profile, "step": 1, "area": area},
    )


@helper_view
def area_preview(request: HttpRequest) -> HttpResponse:
    """The map for the postcode and radius being typed (htmx), before saving."""
    area = None
    try:
        radius = int(request.GET.get("service_radius_km", ""))
        place = locate_postcode(request.GET.get("country", "CH"), request.GET.get("postcode", ""))
    except (ValueError, QuartierError):
        pass  # nothing to show until both make sense
    else:
        if 1 <= radius <= settings.QUARTIER_MAX_SERVICE_RADIUS_KM:
            area = area_map(
                latitude=place.latitude,
                longitude=place.longitude,
                radius_km=radius,
                home=place.locality,
            )
    return render(request, "web/helper/_area_map.html", {"area": area})


@helper_view
def skills(request: HttpRequest) -> HttpResponse:
    """Step 2: the skills offered, each at a self-declared level."""
    actor = actor_of(request)
    form = SkillsForm(posted(request), declared=helper_skill_list(helper_id=actor.pk))
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        try:
            helper_skills_set(actor=actor, skills=chosen)
        except QuartierError as error:
            add_to_form(
                form,
                error,
                {f"skills.{i}.level": f"skill_{slug}" for i, (slug, _) in enumerate(chosen)},
            )
        else:
            messages.success(request, gettext("Your skills are saved."))
            return redirect("web:helper_availability")
    declared = list(helper_skill_list(helper_id=actor.pk))
    return render(
        request,
        "web/helper/skills.html",
        {"form": form, "step": 2, "price_forms": price_forms(declared)},
    )


@helper_view
def availability(request: HttpRequest) -> HttpResponse:
    """Step 3: weekly hours (none at all: any time)."""
    actor = actor_of(request)
    form = AvailabilityForm(posted(request), slots=availability_for(actor=actor).slots)
    if request.method == "POST" and form.is_valid():
        slots, sources = form.slots()
        try:
            weekly_slots_set(actor=actor, slots=slots)
        except QuartierError as error:
            mapping: dict[str, str] = {}
            for index, start in enumerate(sources):
                mapping[f"slots.{index}.start"] = start
                mapping[f"slots.{index}.end"] = start.replace("_start", "_end")
            add_to_form(form, error, mapping)
        else:
            messages.success(request, gettext("Your hours are saved. You're all set!"))
            return redirect("web:helper_inbox")
    return render(request, "web/helper/availability.html", {"form": form, "step": 3})


@helper_view
def inbox(request: HttpRequest) -> HttpResponse:
    """Open requests in the helper's skills that their radius reaches, nearest first."""
    actor = actor_of(request)
    # Read once and kept on the actor: the request views' distances use it too.
    profile, skill_count = helper_profile_and_skill_count(actor)
    offers = helper_offers_by_request(helper=actor)
    invitations = invitation_list_for_helper(actor=actor)
    invited = {invitation.request_id for invitation in invitations}
    items = [
        (request_view(actor, job), offers.get(job.pk))
        for job, _distance in open_requests_for_helper(helper=actor)
        if job.pk not in invited  # shown above, with their invitation
    ]
    standing = profile_standing(actor, profile=profile)
    return render(
        request,
        "web/helper/inbox.html",
        {
            "items": items,
            "profile": profile,
            "invitations": invitations,
            # Why nothing may show: the helper's own profile keeps them out of every match.
            "standing": standing.message if standing is not None else "",
            "skill_count": skill_count,
        },
    )


@helper_view
def why_not(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = actor_of(request)
    job = get_request_for(actor, request_id)
    reasons = [r.message for r in why_not_reasons(helper=actor, request=job)]
    return render(
        request, "web/helper/why_not.html", {"job": request_view(actor, job), "reasons": reasons}
    )


@helper_view
def bookings(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    jobs = booking_list_for(actor=actor).filter(helper=actor)[:200]
    return render(request, "web/helper/bookings.html", {"bookings": jobs})
