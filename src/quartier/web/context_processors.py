"""Values every page's layout needs, read in one query per page (`_layout_facts`)."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from quartier.accounts.legal import CURRENT, Document, accepted_current, legal_pending
from quartier.accounts.models import User
from quartier.notifications.selectors import unread_count_of_user
from quartier.partners.access import partner_member_exists

_FACTS = "_quartier_layout_facts"
#: Stands for the member's id in the layout's statement, compiled once per process.
_ANY_USER = -7_358_211


@functools.cache
def _compiled_layout_sql(vendor: str, versions: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    """The layout's one query, as SQL with its parameters (`_ANY_USER` for the member): the
    same on every page but for the member (and the texts' versions in force, `versions`),
    and compiling it through the ORM (six subqueries) cost more CPU than the database
    spends answering it."""
    accepted = {f"accepted_{d.value}": accepted_current(d) for d in Document}
    rows = (
        User.objects.filter(pk=_ANY_USER)
        .annotate(
            unread_count=unread_count_of_user(),
            partner_member=partner_member_exists(),
            **accepted,
        )
        .values("unread_count", "partner_member", *accepted)
    )
    sql, params = rows.query.sql_with_params()
    return sql, tuple(params)


def _layout_sql() -> tuple[str, tuple[Any, ...]]:
    return _compiled_layout_sql(connection.vendor, tuple(CURRENT[d] for d in Document))


def _layout_facts(request: HttpRequest, user: User) -> dict[str, Any]:
    """The header's badge and links and the legal banner's inputs, in one query per request
    (read when the page renders, so a page that marks notifications read shows it)."""
    facts: dict[str, Any] | None = getattr(request, _FACTS, None)
    if facts is None:
        sql, params = _layout_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk if p == _ANY_USER else p for p in params])
            found = cursor.fetchone()
            row = dict(zip([c[0] for c in cursor.description], found, strict=True)) if found else {}
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
