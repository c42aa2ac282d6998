"""Writing to the shared conversation of a request for several helpers or visits."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.errors import QuartierError
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.messaging.team import team_message_send

from ..access import actor_of, member_view, posted
from ..service_errors import friendly
from ..team import TeamMessageForm


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
    page = "web:request_detail" if acts_for(actor, job.customer_id) else "web:helper_request"
    return redirect(page, request_id)
