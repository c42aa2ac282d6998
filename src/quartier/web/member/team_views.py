"""A request for several helpers or visits, as its customer and booked helpers see it: the
places (who is booked for which helper's place or visit) and the shared conversation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.states import BookingState
from quartier.errors import NotFound, QuartierError
from quartier.jobs.models import JobRequest
from quartier.jobs.multi import booked_helper_ids
from quartier.messaging.team import team_message_send, team_thread_for

from ..access import actor_of, member_view, posted
from ..service_errors import friendly


class TeamMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to everyone on this job"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def team_context(actor: User, job: JobRequest) -> dict[str, Any]:
    """What the pages show of a multi request (nothing for a one-helper request)."""
    if not job.is_multi:
        return {}
    places = list(
        Booking.objects.filter(request=job)
        .exclude(state=BookingState.CANCELLED)
        .select_related("helper")
        .order_by("slot")
    )
    if actor.pk != job.customer_id:  # a helper sees who else is booked, not their prices
        places = [p for p in places if p.helper_id == actor.pk]
    members = User.objects.filter(pk__in=booked_helper_ids(job)).order_by("first_name")
    try:
        thread = team_thread_for(actor, request_id=job.pk)
    except NotFound:  # not (or no longer) booked on it
        thread = None
    return {
        "team": {
            "slots": job.slots,
            "visits": list(job.visits.all()) if job.visit_count else [],
            "booked": len(places) if actor.pk == job.customer_id else None,
            "places": places,
            "members": list(members),
            "thread": thread,
            "form": TeamMessageForm() if thread is not None else None,
            "can_cancel_all": actor.pk == job.customer_id
            and bool(places)
            and job.state in ("requested", "offered", "booked")
            and all(p.state == BookingState.BOOKED for p in places),
        }
    }


@require_POST
@member_view
def team_message_post(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = TeamMessageForm(posted(request))
    if form.is_valid():
        try:
            team_message_send(actor=actor, request_id=request_id, body=form.cleaned_data["body"])
        except QuartierError as error:
            if error.status == 404:
                raise
            messages.error(request, friendly(error))
        else:
            messages.success(request, gettext("Your message is sent to everyone on this job."))
    else:
        messages.error(request, gettext("Write a message first."))
    job = JobRequest.objects.only("customer_id").get(pk=request_id)
    page = "web:request_detail" if job.customer_id == actor.pk else "web:helper_request"
    return redirect(page, request_id)
