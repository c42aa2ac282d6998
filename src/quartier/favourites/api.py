"""Favourites API: the helpers you marked, to find and invite them again."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from quartier.accounts.auth import api_auth, current_user

from .models import Favourite
from .selectors import favourite_list
from .services import favourite_add, favourite_remove

router = Router(tags=["favourites"], auth=api_auth)


class FavouriteOut(Schema):
    helper_id: int
    name: str
    locality: str
    hourly_rate_minor: int | None
    currency: str | None
    since: datetime


def _out(favourite: Favourite) -> FavouriteOut:
    profile = getattr(favourite.helper, "helper_profile", None)
    return FavouriteOut(
        helper_id=favourite.helper_id,
        name=favourite.helper.full_name,
        locality=profile.locality if profile else "",
        hourly_rate_minor=profile.hourly_rate_minor if profile else None,
        currency=profile.currency if profile else None,
        since=favourite.created_at,
    )


@router.get("/me/favourites", response=list[FavouriteOut])
def favourites(request: HttpRequest) -> list[FavouriteOut]:
    """Your favourite helpers, newest first."""
    return [_out(f) for f in favourite_list(actor=current_user(request))[:500]]


@router.put("/me/favourites/{helper_id}", response=FavouriteOut)
def favourite_put(request: HttpRequest, helper_id: int) -> FavouriteOut:
    """Mark a helper as a favourite (idempotent). 404 when there is no such helper."""
    return _out(favourite_add(actor=current_user(request), helper_id=helper_id))


@router.delete("/me/favourites/{helper_id}", response={204: None})
def favourite_delete(request: HttpRequest, helper_id: int) -> Status[None]:
    """Unmark a helper (idempotent)."""
    favourite_remove(actor=current_user(request), helper_id=helper_id)
    return Status(204, None)
