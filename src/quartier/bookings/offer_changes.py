"""A helper changes an open offer: the old one is withdrawn and a new one made, in one step.

The history stays: the withdrawn offer keeps its terms, and the new one says which it
replaces (`Offer.replaces`). The database holds at most one live (pending or accepted) offer
per helper and request (`one_live_offer_per_helper`), so two concurrent changes, or a change
racing a new offer, leave exactly one live offer; the loser gets a Conflict. A changed offer
is told to the customer like a new one, marked as a change.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden

from .counter_rules import uncountered_check
from .models import Offer, OfferStatus
from .notices import tell_offer
from .offer_terms import FIXED_PRICE, OfferTerms
from .selectors import get_offer_for
from .services import offer_create


def offer_change(
    *,
    actor: User,
    offer_id: int,
    proposed_start: datetime,
    proposed_end: datetime,
    price_minor: int | None = None,
    message: str = "",
    terms: OfferTerms = FIXED_PRICE,
) -> Offer:
    """Replace the helper's pending offer by one on new terms (price, time, message); the
    same checks as a new offer apply. Returns the new offer."""
    offer = get_offer_for(actor, offer_id)
    if offer.helper_id != actor.pk:
        raise Forbidden("Only the helper who made the offer can change it.", code="not_your_offer")
    if offer.partner_id is not None:
        raise Conflict(
            "An offer on a partner's fixed terms cannot be changed.", code="offer_fixed_terms"
        )
    with transaction.atomic():
        withdrawn = Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
            status=OfferStatus.WITHDRAWN
        )
        if withdrawn != 1:
            offer.refresh_from_db()
            raise Conflict(
                f"This offer is {offer.status}; only an open offer can be changed.",
                code="offer_not_pending",
            )
        uncountered_check(request_id=offer.request_id, helper_id=actor.pk)  # one round
        new = offer_create(
            actor=actor,
            request_id=offer.request_id,
            proposed_start=proposed_start,
            proposed_end=proposed_end,
            price_minor=price_minor,
            message=message,
            terms=terms,
            tell_customer=False,
            replaces=offer,
        )
        tell_offer(new, changed=True)
    return new
