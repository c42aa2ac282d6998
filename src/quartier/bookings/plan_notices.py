"""What the parties are told before the visit and when plans change (notifications kind
`booked`, with a `plan_step`; texts in notifications/email/_before_visit.txt).

Called inside the change's transaction: a rolled-back change tells nobody. A partner's
customer without an account (no `customer`) is not told here; the partner's case is.
"""

from __future__ import annotations

from django.utils import timezone

from quartier.accounts.models import User
from quartier.households.access import acts_for
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import Booking

CUSTOMER, HELPER, BOTH = "customer", "helper", "both"


def tell_plan(booking: Booking, step: str, *, to: str, **extra: object) -> int:
    """Tell `to` (customer, helper or both) about `step`; returns how many were told."""
    booking = Booking.objects.select_related("request", "customer", "helper").get(pk=booking.pk)
    recipients: list[User] = []
    if to in (CUSTOMER, BOTH) and booking.customer is not None:
        recipients.append(booking.customer)
    if to in (HELPER, BOTH):
        recipients.append(booking.helper)
    context = {
        "plan_step": step,
        "title": booking.request.title,
        "locality": booking.request.locality,
        "starts_at": timezone.localtime(booking.starts_at),
        "helper_name": booking.helper.first_name,
        "currency": booking.currency,
    } | extra
    for user in recipients:
        values = context | {"for_customer": user.pk == booking.customer_id}
        notify(user=user, kind=Kind.BOOKED, context=values, link=Link(Page.BOOKING, (booking.pk,)))
    return len(recipients)


def other_side(booking: Booking, actor: User) -> str:
    """Whom to tell about what `actor` did: the other party (both, for an operator)."""
    if actor.pk == booking.helper_id:
        return CUSTOMER
    if acts_for(actor, booking.customer_id):
        return HELPER
    return BOTH
