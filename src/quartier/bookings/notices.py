"""What the parties of an offer or booking are told, as the change happens.

Bookings calls notifications (a lower layer) directly, inside the transaction of the change:
a rolled-back change tells nobody.
"""

from __future__ import annotations

from quartier.accounts.models import User
from quartier.households.access import delegates_of
from quartier.jobs.models import JobRequest
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .cancellation import Cancellation, offer_cancellation_terms
from .models import Booking, Offer
from .offer_terms import offer_lines
from .withdrawal_models import ConsumerContract, Regime


def _context(job: JobRequest) -> dict[str, object]:
    return {"title": job.title, "locality": job.locality, "window_start": job.window_start}


def _parties(booking: Booking) -> list[tuple[User, Link]]:
    """The customer (absent while a partner's contact has not confirmed), their household
    delegates, and the helper."""
    job = booking.request
    parties = [(booking.helper, Link(Page.HELPER_REQUEST, (job.pk,)))]
    if booking.customer is not None:
        customers = [booking.customer, *delegates_of(booking.customer_id)]
        parties[:0] = [(user, Link(Page.REQUEST, (job.pk,))) for user in customers]
    return parties


def _tell_parties(booking: Booking, kind: Kind, actor: User | None, **extra: object) -> None:
    """Both parties, except the one who made the change."""
    for user, link in _parties(booking):
        if actor is None or user.pk != actor.pk:
            notify(user=user, kind=kind, context=_context(booking.request) | extra, link=link)


def tell_booked(booking: Booking, *, actor: User | None) -> None:
    _tell_parties(booking, Kind.BOOKED, actor)


def tell_cancelled(booking: Booking, *, actor: User | None, terms: Cancellation) -> None:
    """The other side; the customer learns that a helper's cancellation is re-dispatched,
    the helper what a late cancellation is owed."""
    _tell_parties(
        booking,
        Kind.CANCELLED,
        actor,
        redispatched=terms.redispatch,
        fee_minor=terms.fee_minor,
        currency=booking.currency,
    )


def tell_visit(booking: Booking, step: str, *, actor: User | None, **extra: object) -> None:
    """A move of the visit (checked_in, checked_out, not_fixed, signed_off, fee_signed_off),
    told to the other party in their language; an automatic sign-off (no actor) is told to
    both. The customer's link is the booking page, where they sign off and review."""
    booking = Booking.objects.select_related("request", "customer", "helper").get(pk=booking.pk)
    context = _context(booking.request) | {"step": step, "automatic": actor is None}
    context |= extra | {"currency": booking.currency}
    for user, link in _parties(booking):
        if actor is not None and user.pk == actor.pk:
            continue
        for_customer = user.pk != booking.helper_id
        if for_customer:
            link = Link(Page.BOOKING, (booking.pk,))
        values = context | {"for_customer": for_customer}
        notify(user=user, kind=Kind.COMPLETED, context=values, link=link)


def tell_offer(offer: Offer, *, changed: bool = False) -> None:
    """The customer gets a quote to compare (not for a fixed-price job, which is booked at
    once, nor while a partner's contact has not confirmed); `changed`: the helper changed
    their offer."""
    job = offer.request
    if job.customer is None:
        return
    for user in [job.customer, *delegates_of(job.customer_id)]:
        _tell_offer_to(user, offer, changed=changed)


def _tell_offer_to(user: User, offer: Offer, *, changed: bool) -> None:
    job = offer.request
    notify(
        user=user,
        kind=Kind.OFFER,
        context={
            "title": job.title,
            "helper_name": offer.helper.first_name,
            "price_minor": offer.price_minor,
            "currency": offer.currency,
            "changed": changed,
        },
        link=Link(Page.REQUEST, (job.pk,)),
    )


def tell_checkout(booking: Booking, contract: ConsumerContract | None = None) -> None:
    """The customer's confirmation of what they booked: the lines, who pays what, how, and
    the consumer rules (in Germany with a trader: the withdrawal notice, the model form and
    the declarations given). Always e-mailed: it is the durable medium (§ 312f BGB) and the
    instant order confirmation (Art. 3 Abs. 1 lit. s UWG)."""
    if booking.customer is None:
        return
    right = contract is not None and contract.regime == Regime.WITHDRAWAL
    terms = offer_cancellation_terms(booking.offer, right)
    notify(
        user=booking.customer,
        kind=Kind.BOOKED,
        context=_context(booking.request)
        | {
            "checkout": True,
            "helper_name": booking.helper.full_name,
            "starts_at": booking.starts_at,
            "lines": offer_lines(booking.offer),
            "price_minor": booking.price_minor,
            "partner_share_minor": booking.partner_share_minor,
            "tip_minor": booking.tip_minor,
            "customer_pays_minor": booking.customer_pays_minor,
            "payment_method": booking.payment_method,
            "currency": booking.currency,
            "cancel_free_hours": terms.free_hours,
            "cancel_fee_minor": terms.fee_minor,
            "withdrawal_days": terms.withdrawal_days,
            "contract": contract,
        },
        link=Link(Page.BOOKING, (booking.pk,)),
        always_email=True,
    )
