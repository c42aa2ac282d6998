"""Values every page's layout needs."""

from __future__ import annotations

from django.http import HttpRequest

from quartier.accounts.models import User
from quartier.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The badge next to "Notifications" in the header (one indexed count per page)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"unread_notifications": unread_count(user)}
