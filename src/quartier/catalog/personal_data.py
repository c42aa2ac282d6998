"""The skills a person offers: exported, and deleted with their account."""

from __future__ import annotations

from typing import Any

from .models import HelperSkill


def export(user_id: int) -> dict[str, Any]:
    rows = HelperSkill.objects.filter(helper_id=user_id).select_related("skill").order_by("id")
    return {
        "skills": [
            {"skill": r.skill.slug, "level": r.level, "since": r.created_at.isoformat()}
            for r in rows
        ]
    }


def erase(user_id: int) -> None:
    HelperSkill.objects.filter(helper_id=user_id).delete()
