"""Reads of people."""

from __future__ import annotations

from quartier.errors import NotFound

from .models import HelperProfile, User


def helper_profile_get(*, helper_id: int) -> HelperProfile:
    """A helper's public profile (active helpers only)."""
    profile = (
        HelperProfile.objects.select_related("user")
        .filter(user_id=helper_id, user__is_active=True, user__is_helper=True)
        .first()
    )
    if profile is None:
        raise NotFound("No such helper.")
    return profile


def helper_profile_of(user: User) -> HelperProfile | None:
    return HelperProfile.objects.filter(user=user).first()
