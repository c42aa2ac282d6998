"""The site speaks the member's language: after logging in and after changing it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def remember_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Set the language cookie Django's LocaleMiddleware reads on every later page."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
