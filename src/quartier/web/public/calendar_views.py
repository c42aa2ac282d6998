"""The private iCal feed a calendar app fetches: the address is the credential."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from quartier.calendars.services import feed_ics, feed_owner


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = feed_owner(token)
    if owner is None:
        raise Http404
    response = HttpResponse(feed_ics(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
