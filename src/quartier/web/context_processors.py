"""Values every page's layout needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from quartier.accounts.legal import Document, legal_pending
from quartier.accounts.models import User
from quartier.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The badge next to "Notifications" in the header (one indexed count per page)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"unread_notifications": unread_count(user)}


def legal_texts_pending(request: HttpRequest) -> dict[str, list[Document]]:
    """The legal texts that changed since the member accepted them (a banner asks)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"legal_pending": legal_pending(user)}


def source_code(request: HttpRequest) -> dict[str, str]:
    """Where the footer's "source code" link leads (the AGPL asks that users can get it)."""
    return {"source_url": settings.QUARTIER_SOURCE_URL}
