"""What dispatch tells people: helpers are invited; the customer hears that nobody came."""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import User
from quartier.events import handles
from quartier.jobs.models import JobRequest
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify


def tell_invited(request: JobRequest, helper_ids: list[int]) -> None:
    """Inside the wave's transaction: each invited helper, in the inbox and by e-mail."""
    context = {
        "title": request.title,
        "locality": request.locality,
        "window_start": request.window_start,
    }
    link = Link(Page.HELPER_REQUEST, (request.pk,))
    for helper in User.objects.filter(pk__in=helper_ids):
        notify(user=helper, kind=Kind.INVITATION, context=context, link=link)


def tell_invited_directly(request: JobRequest, helper: User, *, customer: User) -> None:
    """Inside the invitation's transaction: the helper a customer chose, in the inbox and by
    e-mail (the invitation text, saying who chose them)."""
    context = {
        "title": request.title,
        "locality": request.locality,
        "window_start": request.window_start,
        "direct": True,
        "customer_name": customer.first_name or customer.full_name,
    }
    link = Link(Page.HELPER_REQUEST, (request.pk,))
    notify(user=helper, kind=Kind.INVITATION, context=context, link=link)


@handles("dispatch.exhausted", name="notifications.no_helper")
def on_dispatch_exhausted(event: Any) -> None:
    """Nobody offered before the deadline (a stored event, recorded once per dispatch):
    tell the customer, in the inbox and by e-mail. Runs in the worker after commit."""
    job = JobRequest.objects.get(pk=event.payload["request_id"])
    customer = User.objects.filter(pk=event.payload["customer_id"], is_active=True).first()
    if customer is None:  # the account is gone or closed meanwhile
        return
    notify(
        user=customer,
        kind=Kind.NO_HELPER,
        context={
            "name": customer.first_name or customer.full_name,
            "title": job.title,
            "locality": job.locality,
            "window_start": job.window_start,
        },
        link=Link(Page.REQUEST, (job.pk,)),
    )
