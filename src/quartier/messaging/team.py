"""The shared conversation of a request for several helpers or visits (a move for two):
the customer and every helper booked on it, in one thread. A helper whose booking ended
(cancelled) no longer reads or writes it; everyone else is told of a new message."""

from __future__ import annotations

from django.db import transaction

from quartier.accounts.models import User
from quartier.errors import Forbidden, NotFound
from quartier.households.access import acts_for, delegates_of
from quartier.households.services import record_delegate_act
from quartier.jobs.models import JobRequest
from quartier.jobs.multi import booked_helper_ids
from quartier.jobs.selectors import get_request_for
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import TeamMessage
from .services import message_text


def _team_request_for(actor: User, request_id: int) -> tuple[JobRequest, list[int]]:
    """The multi request if `actor` is its customer (or their delegate), a booked helper or
    an operator."""
    request = get_request_for(actor, request_id)
    helpers = booked_helper_ids(request)
    if not request.is_multi:
        raise NotFound("This request has no shared conversation.")
    if not (acts_for(actor, request.customer_id) or actor.pk in helpers or actor.is_staff):
        raise NotFound("No such conversation.")
    return request, helpers


def team_thread_for(actor: User, *, request_id: int, after_id: int = 0) -> list[TeamMessage]:
    """The shared conversation's messages, oldest first; `after_id` for polling."""
    request, _ = _team_request_for(actor, request_id)
    return list(
        TeamMessage.objects.filter(request=request, pk__gt=after_id)
        .select_related("sender")
        .order_by("id")
    )


def team_message_send(*, actor: User, request_id: int, body: str) -> TeamMessage:
    """Write to the shared conversation; the customer's side (the member and their
    delegates) and the other booked helpers are told."""
    request, helpers = _team_request_for(actor, request_id)
    customer_side = acts_for(actor, request.customer_id)
    if not customer_side and actor.pk not in helpers:
        raise Forbidden("Only the customer and the booked helpers write here.", code="not_a_party")
    text = message_text(request, body)
    with transaction.atomic():
        message = TeamMessage.objects.create(request=request, sender=actor, body=text)
        if customer_side:
            record_delegate_act(actor, request.customer_id, "team_message.sent", request)
        context = {"sender_name": actor.first_name, "title": request.title, "body": text}
        customers = [request.customer_id, *(d.pk for d in delegates_of(request.customer_id))]
        for user in User.objects.filter(pk__in=[*customers, *helpers]).exclude(pk=actor.pk):
            page = Page.REQUEST if user.pk in customers else Page.HELPER_REQUEST
            notify(user=user, kind=Kind.MESSAGE, context=context, link=Link(page, (request.pk,)))
    return message
