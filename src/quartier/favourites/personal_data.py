"""The helpers a person marked as favourites (and who marked them): exported; erased with
the account."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Favourite


def export(user_id: int) -> dict[str, Any]:
    rows = Favourite.objects.filter(customer_id=user_id).select_related("helper")
    return {
        "favourite_helpers": [
            {"helper": r.helper.full_name, "since": r.created_at.isoformat()} for r in rows
        ]
    }


def erase(user_id: int) -> None:
    Favourite.objects.filter(Q(customer_id=user_id) | Q(helper_id=user_id)).delete()
