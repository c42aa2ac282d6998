"""API authentication: bearer tokens for API clients, the session for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer, django_auth

from quartier.errors import NotAuthenticated

from .models import User
from .services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
            if "HTTP_ACCEPT_LANGUAGE" not in request.META:
                # An API client that names no language reads the member's own.
                translation.activate(user.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        return user


#: Every authenticated endpoint accepts either; the session path checks CSRF as usual.
api_auth: list[Any] = [BearerToken(), django_auth]


def current_user(request: HttpRequest) -> User:
    """The authenticated user of an API call (the auth classes have run already)."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise NotAuthenticated("Log in first.")
    return user
