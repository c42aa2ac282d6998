"""Whether a helper can be booked right now, checked again when the customer books: an
offer may have been made before a hold began or a vetting check lapsed."""

from __future__ import annotations

from quartier.accounts.holds import hold_of
from quartier.accounts.models import HelperProfile
from quartier.errors import Conflict
from quartier.vetting.selectors import helper_vetted_for

from .models import Offer


def helper_takes_bookings_check(offer: Offer) -> None:
    """Refuse while the helper is on a tax-data hold or another hold (e.g. commission over
    the limit), or no longer vetted for the skill (a required check expired or was added)."""
    if HelperProfile.objects.filter(
        user_id=offer.helper_id, tax_data_hold_since__isnull=False
    ).exists():
        raise Conflict("This helper takes no new bookings at the moment.", code="helper_on_hold")
    if hold_of(offer.helper_id) is not None:
        raise Conflict("This helper takes no new bookings at the moment.", code="helper_on_hold")
    if not helper_vetted_for(helper_id=offer.helper_id, skill_id=offer.request.skill_id):
        raise Conflict(
            "This helper's checks for this kind of work are not valid at the moment.",
            code="helper_not_vetted",
        )
