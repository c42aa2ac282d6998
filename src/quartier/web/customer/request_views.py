"""The customer's journey: post a request (to the helpers nearby, or to one chosen helper),
see matched helpers and offers, invite or book one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.accounts.selectors import helper_profile_get
from quartier.bookings.counters import counters_by_offer
from quartier.bookings.multi import request_cancel_whole
from quartier.bookings.selectors import offer_list_for_request, offer_outside_window
from quartier.catalog.selectors import skill_prices
from quartier.dispatch.again import booking_for_again
from quartier.dispatch.direct import invitations_for_request, request_post_for_helper
from quartier.dispatch.posting import request_post
from quartier.errors import QuartierError
from quartier.households.access import acts_for
from quartier.households.selectors import delegations_held
from quartier.jobs.models import JobRequest
from quartier.jobs.multi import VisitWindow, same_hours_on
from quartier.jobs.photos import request_photos, request_photos_add
from quartier.jobs.selectors import get_request_for, request_list_for_customer, request_view
from quartier.jobs.services import RequestFields
from quartier.jobs.services import request_cancel as request_cancel_service
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.matching.selectors import match_list_for
from quartier.money import to_minor
from quartier.uploads import PHOTOS, files_check

from ..access import actor_of, member_view, posted
from ..fields import LOCAL_MINUTE
from ..selectors import booking_of_request
from ..service_errors import add_to_form, friendly
from ..team import team_context
from .forms import PhotosForm, RequestForm
from .request_change_views import photo_error

REQUEST_FIELDS = {"budget_minor": "budget", "visits": "also_on_1"}


@member_view
def request_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "web/requests/list.html",
        {"requests": request_list_for_customer(actor=actor)[:200]},
    )


def _preselected(request: HttpRequest, actor: User) -> tuple[User | None, dict[str, Any]]:
    """The helper the request is for (`?helper=`, or `?again=` a completed booking, whose
    request fills the form), and the form's initial values."""
    source = request.POST if request.method == "POST" else request.GET
    initial: dict[str, Any] = {}
    helper_id = source.get("helper", "")
    if again := request.GET.get("again", ""):
        booking = booking_for_again(actor, int(again) if again.isdigit() else 0)
        old = booking.request
        helper_id = str(booking.helper_id)
        initial = {
            "skill": old.skill.slug,
            "title": old.title,
            "description": old.description,
            "country": old.country,
            "postcode": old.postcode,
            "street_address": old.street_address,
        }
    if not helper_id.isdigit():
        return None, initial
    helper = helper_profile_get(helper_id=int(helper_id)).user  # 404 when there is none
    if skill := request.GET.get("skill", ""):
        initial.setdefault("skill", skill)
    return helper, initial | {"helper": helper.pk}


@member_view
def request_new(request: HttpRequest) -> HttpResponse:
    """Post a request: to the helpers matched nearby, or to one chosen helper alone."""
    actor = actor_of(request)
    helper, initial = _preselected(request, actor)
    members = [(d.member_id, d.member.full_name) for d in delegations_held(actor=actor)]
    if (chosen := request.GET.get("for", "")).isdigit():
        initial["for_customer"] = int(chosen)
    form = RequestForm(posted(request), request.FILES or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = _post_with_photos(actor, data, helper)
        except QuartierError as error:
            if any(name.startswith("photos.") for name in getattr(error, "errors", {}) or {}):
                form.add_error("photos", photo_error(error))
            else:
                add_to_form(form, error, REQUEST_FIELDS)
        else:
            if helper is None:
                done = gettext("Your request is posted. Here are your matches.")
            else:
                done = gettext("Your request is sent to %(name)s.") % {"name": helper.full_name}
            messages.success(request, done)
            return redirect("web:request_detail", job.pk)
    return render(request, "web/requests/new.html", {"form": form, "helper": helper})


def _post_with_photos(actor: User, data: dict[str, Any], helper: User | None) -> JobRequest:
    """Post the request (for `helper` alone when given) and attach its photos, both or
    neither (the files are checked first)."""
    photos = data.get("photos") or []
    files_check(photos, field="photos", rule=PHOTOS)
    budget = data["budget"]
    fields = RequestFields(
        skill=data["skill"],
        title=data["title"],
        description=data["description"],
        country=data["country"],
        postcode=data["postcode"],
        street_address=data["street_address"],
        window_start=data["window_start"],
        window_end=data["window_end"],
        budget_minor=None if budget is None else to_minor(budget),
        urgent=bool(data["urgent"]),
        helpers_needed=data.get("helpers_needed") or 1,
        visits=_visits(data),
        for_customer_id=data.get("for_customer"),
    )
    with transaction.atomic():
        if helper is None:
            job = request_post(actor=actor, **fields)
        else:
            job, _ = request_post_for_helper(actor=actor, helper_id=helper.pk, **fields)
        if photos:
            request_photos_add(actor=actor, request_id=job.pk, photos=photos)
    return job


def _visits(data: dict[str, Any]) -> list[VisitWindow]:
    """The first window's hours on each further day the customer gave (none: one visit)."""
    days = data.get("visit_days") or []
    if not days:
        return []
    return same_hours_on(data["window_start"], data["window_end"], days)


@member_view
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The customer's own request: its state, the helpers they chose, matched helpers
    (explained, favourites marked, to invite or book at once) and offers."""
    actor = actor_of(request)
    job = get_request_for(actor, request_id)
    if not acts_for(actor, job.customer_id):  # helpers use their own page; others never see it
        raise Http404
    is_open = job.state in OPEN_FOR_OFFERS
    matches = match_list_for(actor, job.pk, checked=job) if is_open else []
    invited = invitations_for_request(actor=actor, request_id=job.pk, checked=job)
    invited_ids = {invitation.helper_id for invitation in invited}
    prices = skill_prices(helper_ids=invited_ids, skill_id=job.skill_id) if is_open else {}
    return render(
        request,
        "web/requests/detail.html",
        {
            "job": request_view(actor, job),
            "skill_name": job.skill.name,
            "is_open": is_open,
            "matches": [
                (m, m.explanation, m.is_favourite, m.helper_id in invited_ids) for m in matches
            ],
            "invited": [(i, prices.get(i.helper_id)) for i in invited],
            "book_now_start": timezone.localtime(job.window_start).strftime(LOCAL_MINUTE),
            "book_now_end": timezone.localtime(job.window_end).strftime(LOCAL_MINUTE),
            "photo_ids": {m.helper_id for m in matches if m.has_photo},
            "offers": [
                (offer, offer_outside_window(offer))
                for offer in offer_list_for_request(actor=actor, request_id=job.pk, checked=job)
            ],
            "photos": list(request_photos(job.pk)),
            "photos_form": PhotosForm() if is_open else None,
            "booking": None
            if job.is_multi
            else booking_of_request(actor=actor, request_id=job.pk, customer_id=job.customer_id),
            **team_context(actor, job),
            "counters": counters_by_offer(request_id=job.pk),  # one query
        },
    )


@require_POST
@member_view
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        if get_request_for(actor, request_id).is_multi:  # with its bookings
            request_cancel_whole(actor=actor, request_id=request_id)
        else:
            request_cancel_service(actor=actor, request_id=request_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("Your request is withdrawn."))
    return redirect("web:request_detail", request_id)
