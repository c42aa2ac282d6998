"""Reads of the skill catalogue."""

from __future__ import annotations

from django.db.models import QuerySet

from quartier.errors import field_error

from .models import HelperSkill, Skill


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.filter(is_active=True).select_related("category")


def skill_get_by_slug(slug: str, *, field: str = "skill") -> Skill:
    """The active skill with this slug, or a field error naming the bad value."""
    try:
        return skill_list().get(slug=slug)
    except Skill.DoesNotExist:
        raise field_error(field, f"Unknown skill '{slug}'.", code="unknown_skill") from None


def helper_skill_list(*, helper_id: int) -> QuerySet[HelperSkill]:
    return HelperSkill.objects.filter(helper_id=helper_id).select_related("skill__category")


def helper_has_skill(*, helper_id: int, skill_id: int) -> bool:
    return HelperSkill.objects.filter(helper_id=helper_id, skill_id=skill_id).exists()
