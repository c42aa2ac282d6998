"""Domain events -> notifications. Each signal receiver runs inside the transaction of the
change; a stored-event handler (`@handles`) runs in the worker after the change committed."""

from __future__ import annotations

from typing import Any

from quartier.accounts.models import User
from quartier.dispatch.selectors import is_fixed_price
from quartier.events import handles
from quartier.jobs.models import JobRequest
from quartier.jobs.states import RequestState

from .kinds import Kind
from .links import Link, Page
from .services import notify


def _request(request_id: int) -> JobRequest:
    return JobRequest.objects.select_related("customer", "booked_helper").get(pk=request_id)


def _customer_page(job: JobRequest) -> Link:
    return Link(Page.REQUEST, (job.pk,))


def _helper_page(job: JobRequest) -> Link:
    return Link(Page.HELPER_REQUEST, (job.pk,))


def on_request_state_changed(
    sender: object, request_id: int, to_state: str, actor_id: int | None, **kwargs: Any
) -> None:
    """Booked: both parties (but not the one who did it); cancelled: the other party;
    completed: the customer, who can now review."""
    if to_state not in (RequestState.BOOKED, RequestState.CANCELLED, RequestState.COMPLETED):
        return
    job = _request(request_id)
    # A partner's case whose contact has not confirmed yet has no customer to tell.
    parties: list[tuple[User, Link]] = []
    if job.customer is not None:
        parties.append((job.customer, _customer_page(job)))
    if job.booked_helper is not None:
        parties.append((job.booked_helper, _helper_page(job)))
    context = {"title": job.title, "locality": job.locality, "window_start": job.window_start}
    if to_state == RequestState.COMPLETED:
        if job.customer is not None:
            notify(
                user=job.customer, kind=Kind.COMPLETED, context=context, link=_customer_page(job)
            )
        return
    kind = Kind.BOOKED if to_state == RequestState.BOOKED else Kind.CANCELLED
    if kind == Kind.CANCELLED and job.booked_helper is None:
        return  # an open request withdrawn: nobody else was committed
    for user, link in parties:
        if user.pk != actor_id:
            notify(user=user, kind=kind, context=context, link=link)


def on_offer_created(sender: object, offer: Any, **kwargs: Any) -> None:
    if is_fixed_price(request_id=offer.request_id):
        return  # the helper accepted a fixed-price job: "booked" follows at once
    job = _request(offer.request_id)
    if job.customer is None:
        return
    notify(
        user=job.customer,
        kind=Kind.OFFER,
        context={
            "title": job.title,
            "helper_name": offer.helper.first_name,
            "price_minor": offer.price_minor,
            "currency": offer.currency,
        },
        link=_customer_page(job),
    )


def on_dispatch_invited(
    sender: object, request_id: int, helper_ids: list[int], **kwargs: Any
) -> None:
    job = _request(request_id)
    context = {"title": job.title, "locality": job.locality, "window_start": job.window_start}
    for helper in User.objects.filter(pk__in=helper_ids):
        notify(user=helper, kind=Kind.INVITATION, context=context, link=_helper_page(job))


@handles("dispatch.exhausted", name="notifications.no_helper")
def on_dispatch_exhausted(event: Any) -> None:
    """Nobody offered before the deadline (a stored event, recorded once per dispatch):
    tell the customer, in the inbox and by e-mail. Runs in the worker after commit."""
    job = _request(event.payload["request_id"])
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
        link=_customer_page(job),
    )
