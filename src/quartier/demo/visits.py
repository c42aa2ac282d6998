"""The demo plays its visits ahead of their slots (they are moved back in time afterwards),
so the check-in is the demo operator's override, with its reason audited like any other."""

from __future__ import annotations

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.visit import booking_check_in, booking_check_out, booking_sign_off

REASON = "demo history, played ahead of its slot"


def demo_operator() -> User:
    """The seeded operator, or (partners' demo on its own) a staff account for visits."""
    operator = User.objects.filter(is_staff=True).order_by("pk").first()
    if operator is None:
        operator = User.objects.create_user(
            email="visits@quartier.example", password=None, full_name="Demo Operations"
        )
        User.objects.filter(pk=operator.pk).update(is_staff=True)
        operator.is_staff = True
    return operator


def demo_check_in(booking: Booking) -> None:
    booking_check_in(actor=demo_operator(), booking_id=booking.pk, reason=REASON)


def demo_visit_finish(booking: Booking) -> None:
    """Check out (fixed) and sign off: the customer, or the operator for a partner's case
    whose contact has not confirmed."""
    booking_check_out(actor=booking.helper, booking_id=booking.pk)
    booking = Booking.objects.select_related("customer").get(pk=booking.pk)
    booking_sign_off(actor=booking.customer or demo_operator(), booking_id=booking.pk)
