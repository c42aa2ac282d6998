"""The helper answers a customer's counter-offer: accept its terms, or withdraw the offer."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.bookings.counter_models import Counter
from quartier.bookings.counters import counter_accept, counter_withdraw, get_counter_for
from quartier.errors import QuartierError

from ..access import actor_of, role_view
from ..service_errors import friendly

helper_view = role_view("helper")


def _answer(
    request: HttpRequest, counter_id: int, answer: Callable[..., Counter], done: str
) -> HttpResponse:
    actor = actor_of(request)
    counter = get_counter_for(actor, counter_id)  # 404 outside the actor's scope
    try:
        answer(actor=actor, counter_id=counter.pk)
    except QuartierError as error:
        if error.status == 404:
            raise
        messages.error(request, friendly(error))
    else:
        messages.success(request, done)
    return redirect("web:helper_request", counter.request_id)


@require_POST
@helper_view
def counter_accept_view(request: HttpRequest, counter_id: int) -> HttpResponse:
    done = gettext("You accepted the counter-offer: the customer is told and can book you now.")
    return _answer(request, counter_id, counter_accept, done)


@require_POST
@helper_view
def counter_withdraw_view(request: HttpRequest, counter_id: int) -> HttpResponse:
    done = gettext("Your offer is withdrawn; the customer is told.")
    return _answer(request, counter_id, counter_withdraw, done)
