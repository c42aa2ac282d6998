"""What the parties are told about changes during the visit, in each one's language.

A proposal and a lapse go to the customer, an answer to the helper (the inbox's "Bookings"
kind). Every approval is confirmed to the customer by e-mail with the change's content and,
where the change carries a right of withdrawal, the notice and both declarations with their
time: the durable medium (§ 312f BGB). It is sent whatever the customer's e-mail choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from quartier.households.access import delegates_of
from quartier.notifications.kinds import AddressKind, Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify, notify_address

if TYPE_CHECKING:
    from .change_models import VisitChange

#: The notice, rendered in the active language for the web page and the API as well.
NOTICE_TEMPLATE = "notifications/email/_withdrawal_notice.txt"
#: The two declarations, each its own unticked box (and so in the confirmation e-mail).
EARLY_START_TEXT = _(
    "I expressly ask that the work on this change begins before the withdrawal period ends."
)
LOSS_TEXT = _("I know that I lose my right of withdrawal once the change has been fully performed.")


def _values(change: VisitChange) -> dict[str, object]:
    booking = change.booking
    return {
        "change": change,
        "title": booking.request.title,
        "locality": booking.request.locality,
        "helper_name": booking.helper.full_name,
        "currency": booking.currency,
        "price_minor": booking.price_minor,
    }


def tell_change(change: VisitChange, step: str) -> None:
    """`proposed` and `lapsed` to the customer, `approved` and `rejected` to the helper."""
    booking = change.booking
    booking.refresh_from_db(fields=["price_minor"])
    to_customer = step in ("proposed", "lapsed")
    if to_customer:  # the member and their household delegates, who may answer for them
        users = [booking.customer, *delegates_of(booking.customer_id)] if booking.customer else []
    else:
        users = [booking.helper]
    for user in users:
        notify(
            user=user,
            kind=Kind.BOOKED,
            context=_values(change) | {"change_step": step, "for_customer": to_customer},
            link=Link(Page.BOOKING, (booking.pk,)),
        )


def confirm_change(change: VisitChange) -> None:
    """The customer's confirmation of an approved change (always sent)."""
    customer = change.booking.customer
    if customer is None:
        return
    notify_address(
        email=customer.email,
        language=customer.preferred_language or "de",
        kind=AddressKind.CHANGE_CONFIRMATION,
        context=_values(change),
        link=Link(Page.BOOKING, (change.booking_id,)),
    )


def withdrawal_notice(change: VisitChange) -> str:
    """The withdrawal notice naming the helper as the trader, in the active language; empty
    when the change carries no right of withdrawal."""
    if not change.withdrawal_right:
        return ""
    return render_to_string(NOTICE_TEMPLATE, {"change": change}).strip()
