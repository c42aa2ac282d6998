"""What the parties of a counter-offer are told, inside the change's transaction: the
helper of a counter (with the invitations: it asks them to work on other terms), the
customer of the helper's answer (with the offers)."""

from __future__ import annotations

from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .counter_models import Counter
from .models import Offer


def tell_countered(counter: Counter) -> None:
    offer = counter.offer
    job = offer.request
    customer = job.customer
    context = {
        "counter": True,
        "title": job.title,
        "locality": job.locality,
        "window_start": job.window_start,
        "customer_name": customer.first_name or customer.full_name if customer else "",
        "price_minor": counter.price_minor,
        "currency": offer.currency,
        "price_changed": counter.price_minor != offer.price_minor,
        "proposed_start": counter.proposed_start,
        "proposed_end": counter.proposed_end,
        "time_changed": (counter.proposed_start, counter.proposed_end)
        != (offer.proposed_start, offer.proposed_end),
        "expires_at": counter.expires_at,
    }
    link = Link(Page.HELPER_REQUEST, (job.pk,))
    notify(user=offer.helper, kind=Kind.INVITATION, context=context, link=link)


def tell_counter_answer(counter: Counter, *, agreed: Offer | None) -> None:
    """`agreed`: the helper's offer at the counter's terms; None: the helper withdrew."""
    answer = "accepted" if agreed is not None else "withdrawn"
    _tell_customer(counter, answer, counter.price_minor)


def tell_counter_expired(counter: Counter) -> None:
    """The helper did not answer in time: the offer stands at its own price."""
    _tell_customer(counter, "expired", counter.offer.price_minor)


def _tell_customer(counter: Counter, answer: str, price_minor: int) -> None:
    offer = counter.offer
    job = offer.request
    if job.customer is None:
        return
    notify(
        user=job.customer,
        kind=Kind.OFFER,
        context={
            "counter_answer": answer,
            "title": job.title,
            "helper_name": offer.helper.first_name,
            "price_minor": price_minor,
            "currency": offer.currency,
            "changed": False,
        },
        link=Link(Page.REQUEST, (job.pk,)),
    )
