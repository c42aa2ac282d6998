"""May user U act for customer C? The one answer jobs, bookings, dispatch, payments and the
pages above ask, instead of comparing `customer_id` with the actor's id.

A user acts for themselves and, through an accepted and unrevoked delegation, for the
members who made them their delegate. Operators are not delegates: their access stays the
staff check each selector already makes, and what they do by phone is audited apart.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from quartier.accounts.models import User

from .models import Delegation


def live_delegations() -> QuerySet[Delegation]:
    return Delegation.objects.filter(accepted_at__isnull=False, revoked_at__isnull=True)


#: Where the member ids are kept on the actor's object: read once per HTTP request (each
#: request loads its user anew, so a revocation holds from the next request on), not once
#: per row of a list.
_MEMBERS = "_households_member_ids"


def acts_for(actor: Any, customer_id: int | None) -> bool:
    """True when `actor` is the customer `customer_id` or their live delegate."""
    if customer_id is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.pk == customer_id or customer_id in members_of(actor))


def members_of(actor: Any) -> list[int]:
    """The members `actor` is a live delegate of (ids), read once per actor object."""
    if not getattr(actor, "is_authenticated", False):
        return []
    cached: list[int] | None = actor.__dict__.get(_MEMBERS)
    if cached is None:
        members = live_delegations().filter(delegate_id=actor.pk)
        cached = list(members.values_list("member_id", flat=True))
        actor.__dict__[_MEMBERS] = cached
    return cached


def forget_members(actor: Any) -> None:
    """Read the actor's members afresh next time (after they accepted or stepped down)."""
    getattr(actor, "__dict__", {}).pop(_MEMBERS, None)


def customer_ids_for(actor: Any) -> list[int]:
    """Every customer `actor` acts for: themselves first, then their members."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return [actor.pk, *members_of(actor)]


def delegates_of(customer_id: int | None) -> list[User]:
    """The live delegates of `customer_id`, who are told what matters as the member is."""
    if customer_id is None:
        return []
    return [
        d.delegate
        for d in live_delegations()
        .filter(member_id=customer_id, delegate__is_active=True)
        .select_related("delegate")
        .order_by("id")
        if d.delegate is not None
    ]
