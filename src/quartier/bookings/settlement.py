"""The `job.settled` event's payload (v2): everything money needs about a settled job.

Keys: booking_id, request_id, helper_id, customer_id, currency, settled_at, price_minor
(the sum of the lines, excluding the tip), tip_minor, method, partner_id,
partner_share_minor, lines, skill_flags, market, skill, category, helper_country. Read
from the database inside the completing transaction, after the state moved: what the
customer set until then (tip, method) is what is settled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from quartier.accounts.models import HelperProfile

from .models import Booking
from .pricing import line_of

#: Contexts above bookings that take a customer's cashless payment themselves (cards: a card
#: or TWINT through the payment provider) name the method of a booking paid by "transfer"
#: here, or None. Bookings keeps "transfer" (cashless, to the helper's account) for them.
METHOD_REFINERS: list[Callable[[int], str | None]] = []


def _method(booking: Booking) -> str:
    method = str(booking.payment_method)
    if method == "transfer":
        for refine in METHOD_REFINERS:
            method = refine(booking.pk) or method
    return method


def settled_payload(booking_id: int, *, settled_at: datetime) -> dict[str, object]:
    booking = Booking.objects.select_related("request__skill__category").get(pk=booking_id)
    request = booking.request
    helper_country = (
        HelperProfile.objects.filter(user_id=booking.helper_id)
        .values_list("country", flat=True)
        .first()
    )
    lines = [line_of(row).as_payload() for row in booking.offer.lines.all()]
    return {
        "booking_id": booking.pk,
        "request_id": booking.request_id,
        "helper_id": booking.helper_id,
        "customer_id": booking.customer_id,
        "currency": booking.currency,
        "settled_at": settled_at,
        "price_minor": booking.price_minor,
        "tip_minor": booking.tip_minor,
        "method": _method(booking),
        "partner_id": booking.partner_id,
        "partner_share_minor": booking.partner_share_minor,
        "lines": lines,
        "skill_flags": request.skill.flags,
        "market": request.country,
        "skill": request.skill.slug,
        "category": request.skill.category.slug,
        "helper_country": helper_country or request.country,
    }
