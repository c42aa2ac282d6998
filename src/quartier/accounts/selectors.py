"""Reads of people."""

from __future__ import annotations

from django.utils import timezone
from django.utils.crypto import salted_hmac

from quartier.errors import NotFound

from .models import ApiToken, HelperProfile, User

#: Keep in step with migration accounts 0003 (it filled the markers of existing tokens).
PASSWORD_MARKER_SALT = "quartier.accounts.api-token.password"


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


def password_marker(user: User) -> str:
    """Changes whenever the user's password does (an HMAC of its hash, like Django's
    session hash): a token issued under another password no longer works."""
    return salted_hmac(PASSWORD_MARKER_SALT, user.password, algorithm="sha256").hexdigest()


def api_token_list_for(*, actor: User) -> list[ApiToken]:
    """The actor's live API tokens (not expired, issued under the current password),
    newest first. Never their secrets: only a SHA-256 of each is stored."""
    return list(
        ApiToken.objects.filter(
            user=actor, expires_at__gt=timezone.now(), password_marker=password_marker(actor)
        ).order_by("-created_at", "-id")
    )


def with_photo(user_ids: list[int]) -> set[int]:
    """Which of these members have a profile photo (for lists that show faces)."""
    return set(User.objects.filter(pk__in=user_ids).exclude(photo="").values_list("pk", flat=True))
