"""The customer's journey: post a request, see matched helpers and offers, book one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.bookings.selectors import offer_list_for_request, offer_outside_window
from quartier.dispatch.posting import request_post
from quartier.errors import QuartierError
from quartier.jobs.models import JobRequest
from quartier.jobs.photos import request_photos, request_photos_add
from quartier.jobs.selectors import get_request_for, request_list_for_customer, request_view
from quartier.jobs.services import request_cancel as request_cancel_service
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.matching.selectors import match_list_for
from quartier.money import to_minor
from quartier.uploads import PHOTOS, files_check

from ..access import actor_of, member_view, posted
from ..selectors import booking_of_request
from ..service_errors import add_to_form, friendly
from .forms import PhotosForm, RequestForm
from .request_change_views import photo_error

REQUEST_FIELDS = {"budget_minor": "budget"}


@member_view
def request_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "web/requests/list.html",
        {"requests": request_list_for_customer(actor=actor)[:200]},
    )


@member_view
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        budget = data["budget"]
        try:
            job = _post_with_photos(actor_of(request), data, budget)
        except QuartierError as error:
            if any(name.startswith("photos.") for name in getattr(error, "errors", {}) or {}):
                form.add_error("photos", photo_error(error))
            else:
                add_to_form(form, error, REQUEST_FIELDS)
        else:
            messages.success(request, gettext("Your request is posted. Here are your matches."))
            return redirect("web:request_detail", job.pk)
    return render(request, "web/requests/new.html", {"form": form})


def _post_with_photos(actor: User, data: dict[str, Any], budget: Any) -> JobRequest:
    """Post the request and attach its photos, both or neither (the files are checked first)."""
    photos = data.get("photos") or []
    files_check(photos, field="photos", rule=PHOTOS)
    with transaction.atomic():
        job = request_post(
            actor=actor,
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
        )
        if photos:
            request_photos_add(actor=actor, request_id=job.pk, photos=photos)
    return job


@member_view
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """The customer's own request: its state, matched helpers (explained) and offers."""
    actor = actor_of(request)
    job = get_request_for(actor, request_id)
    if job.customer_id != actor.pk:  # helpers use their own page; others never see it
        raise Http404
    is_open = job.state in OPEN_FOR_OFFERS
    matches = match_list_for(actor, job.pk) if is_open else []
    return render(
        request,
        "web/requests/detail.html",
        {
            "job": request_view(actor, job),
            "skill_name": job.skill.name,
            "is_open": is_open,
            "matches": [(m, m.explanation) for m in matches],
            "offers": [
                (offer, offer_outside_window(offer))
                for offer in offer_list_for_request(actor=actor, request_id=job.pk)
            ],
            "photos": list(request_photos(job.pk)),
            "photos_form": PhotosForm() if is_open else None,
            "booking": booking_of_request(actor=actor, request_id=job.pk),
        },
    )


@require_POST
@member_view
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        request_cancel_service(actor=actor_of(request), request_id=request_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("Your request is withdrawn."))
    return redirect("web:request_detail", request_id)
