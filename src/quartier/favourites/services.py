"""Marking and unmarking favourite helpers (idempotent both ways)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from quartier.accounts.models import HelperProfile, User
from quartier.errors import Forbidden, NotFound

from .models import Favourite


def _require_customer(actor: User) -> None:
    if not actor.is_customer:
        raise Forbidden("Only customers keep favourite helpers.", code="not_a_customer")


def favourite_add(*, actor: User, helper_id: int) -> Favourite:
    """Mark a helper (one with a helper profile) as the customer's favourite."""
    _require_customer(actor)
    if helper_id == actor.pk:
        raise Forbidden("You cannot favourite yourself.", code="own_profile")
    if not HelperProfile.objects.filter(user_id=helper_id, user__is_active=True).exists():
        raise NotFound("No such helper.")
    try:
        with transaction.atomic():
            favourite, _ = Favourite.objects.get_or_create(customer=actor, helper_id=helper_id)
    except IntegrityError:  # added concurrently: that one stands
        favourite = Favourite.objects.get(customer=actor, helper_id=helper_id)
    return favourite


def favourite_remove(*, actor: User, helper_id: int) -> bool:
    """Unmark; True when it was marked."""
    _require_customer(actor)
    deleted, _ = Favourite.objects.filter(customer=actor, helper_id=helper_id).delete()
    return bool(deleted)
