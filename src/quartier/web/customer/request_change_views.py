"""The customer changes a posted request: its words, time and budget, and its photos."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.dispatch.request_edits import request_change
from quartier.errors import InvalidInput, QuartierError
from quartier.households.access import acts_for
from quartier.jobs.photos import request_photo_remove, request_photos_add
from quartier.jobs.selectors import get_request_for
from quartier.jobs.states import OPEN_FOR_OFFERS
from quartier.money import to_major, to_minor

from ..access import actor_of, member_view, posted
from ..service_errors import BY_CODE, add_to_form, friendly
from .forms import PhotosForm, RequestEditForm

EDIT_FIELDS = {"budget_minor": "budget"}
PHOTO_ERROR = _("Only photos (JPEG, PNG, WebP or HEIC) of at most 8 MB each can be attached.")


@member_view
def request_edit(request: HttpRequest, request_id: int) -> HttpResponse:
    """Change the request while it waits for offers; helpers involved are told."""
    actor = actor_of(request)
    job = get_request_for(actor, request_id)
    if not acts_for(actor, job.customer_id):
        raise Http404
    if job.state not in OPEN_FOR_OFFERS:
        messages.error(request, str(BY_CODE["request_not_editable"]))
        return redirect("web:request_detail", job.pk)
    initial = {
        "title": job.title,
        "description": job.description,
        "street_address": job.street_address,
        "window_start": timezone.localtime(job.window_start),
        "window_end": timezone.localtime(job.window_end),
        "budget": None if job.budget_minor is None else to_major(job.budget_minor),
    }
    form = RequestEditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        budget = data.pop("budget")
        data["budget_minor"] = None if budget is None else to_minor(budget)
        try:
            request_change(actor=actor, request_id=job.pk, changes=data)
        except QuartierError as error:
            if error.status == 404:
                raise
            add_to_form(form, error, EDIT_FIELDS)
        else:
            messages.success(request, gettext("Your request is changed. Helpers are told."))
            return redirect("web:request_detail", job.pk)
    return render(request, "web/requests/edit.html", {"form": form, "job": job})


@require_POST
@member_view
def request_photos_add_view(request: HttpRequest, request_id: int) -> HttpResponse:
    form = PhotosForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("web:request_detail", request_id)
    try:
        request_photos_add(
            actor=actor_of(request), request_id=request_id, photos=form.cleaned_data["photos"]
        )
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, photo_error(error))
    else:
        messages.success(request, gettext("Your photos are attached."))
    return redirect("web:request_detail", request_id)


def photo_error(error: QuartierError) -> str:
    """Words for a refused upload: a file check names the file's index, not a code."""
    if isinstance(error, InvalidInput) and any(k.startswith("photos.") for k in error.errors):
        return str(PHOTO_ERROR)
    return friendly(error)


@require_POST
@member_view
def request_photo_remove_view(request: HttpRequest, request_id: int, photo_id: int) -> HttpResponse:
    try:
        request_photo_remove(actor=actor_of(request), request_id=request_id, photo_id=photo_id)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("The photo is removed."))
    return redirect("web:request_detail", request_id)
