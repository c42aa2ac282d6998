"""Reads of favourites: which helpers a customer marked."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from quartier.accounts.models import User

from .models import Favourite


def favourite_list(*, actor: User) -> QuerySet[Favourite]:
    """The actor's favourites, newest first, with the helpers' profiles."""
    return Favourite.objects.filter(customer_id=actor.pk).select_related("helper__helper_profile")


def favourite_helper_ids(
    *, customer_id: int | None, among: Iterable[int] | None = None
) -> set[int]:
    """The helper ids the customer marked (optionally only among `among`)."""
    if customer_id is None:
        return set()
    rows = Favourite.objects.filter(customer_id=customer_id)
    if among is not None:
        rows = rows.filter(helper_id__in=list(among))
    return set(rows.values_list("helper_id", flat=True))
