"""Values every page's layout needs, read in one query per page (`_layout_facts`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from quartier.accounts.legal import Document, accepted_current, legal_pending
from quartier.accounts.models import User
from quartier.notifications.selectors import unread_count_of_user
from quartier.partners.access import partner_member_exists

_FACTS = "_quartier_layout_facts"


def _layout_facts(request: HttpRequest, user: User) -> dict[str, Any]:
    """The header's badge and links and the legal banner's inputs, in one query per request
    (read when the page renders, so a page that marks notifications read shows it)."""
    facts: dict[str, Any] | None = getattr(request, _FACTS, None)
    if facts is None:
        accepted = {f"accepted_{d.value}": accepted_current(d) for d in Document}
        row = (
            User.objects.filter(pk=user.pk)
            .annotate(
                unread_count=unread_count_of_user(),
                partner_member=partner_member_exists(),
                **accepted,
            )
            .values("unread_count", "partner_member", *accepted)
            .first()
        ) or {}
        facts = {
            "unread": int(row.get("unread_count") or 0),
            "partner_member": bool(row.get("partner_member")),
            "accepted": {d for d in Document if row.get(f"accepted_{d.value}")},
        }
        setattr(request, _FACTS, facts)
    return facts


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The badge next to "Notifications" in the header, and whether the header links the
    partner pages."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    facts = _layout_facts(request, user)
    return {
        "unread_notifications": facts["unread"],
        "partner_member": user.is_staff or facts["partner_member"],
    }


def legal_texts_pending(request: HttpRequest) -> dict[str, list[Document]]:
    """The legal texts that changed since the member accepted them (a banner asks)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"legal_pending": legal_pending(user, _layout_facts(request, user)["accepted"])}


def source_code(request: HttpRequest) -> dict[str, str]:
    """Where the footer's "source code" link leads (the AGPL asks that users can get it)."""
    return {"source_url": settings.QUARTIER_SOURCE_URL}
