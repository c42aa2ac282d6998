"""A person's inbox and e-mail choices: exported, and deleted with the account."""

from __future__ import annotations

from typing import Any

from .models import EmailOptOut, Notification


def export(user_id: int) -> dict[str, Any]:
    return {
        "notifications": [
            {"kind": n.kind, "title": n.title, "url": n.url, "created_at": n.created_at.isoformat()}
            for n in Notification.objects.filter(user_id=user_id).order_by("id")
        ],
        "email_opt_outs": sorted(
            EmailOptOut.objects.filter(user_id=user_id).values_list("kind", flat=True)
        ),
    }


def erase(user_id: int) -> None:
    Notification.objects.filter(user_id=user_id).delete()
    EmailOptOut.objects.filter(user_id=user_id).delete()
