"""A member's private calendar feed: the address to subscribe to, and revoking it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.calendars.services import feed_revoke, feed_url

from ..access import actor_of, member_view


@member_view
def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "web/account/calendar.html", {"url": feed_url(actor_of(request))})


@require_POST
@member_view
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    feed_revoke(actor_of(request))
    messages.success(
        request, gettext("The old address no longer works. Subscribe to the new one below.")
    )
    return redirect("web:my_calendar")
