"""Writes to the skill catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from quartier.accounts.models import User
from quartier.errors import Forbidden, field_error
from quartier.events import helper_changed

from .models import HelperSkill, Skill, SkillCategory, SkillLevel
from .selectors import skill_get_by_slug
from .taxonomy import seed_taxonomy


def catalog_seed() -> int:
    """Bring the seeded taxonomy up to date (idempotent); returns the number of skills."""
    with transaction.atomic():
        return seed_taxonomy(SkillCategory, Skill)


def helper_skills_set(*, actor: User, skills: Sequence[tuple[str, str]]) -> list[HelperSkill]:
    """Replace the helper's declared skills with `skills` = [(slug, level), ...]."""
    if not actor.is_helper:
        raise Forbidden("Only helpers can declare skills.", code="not_a_helper")
    resolved: dict[int, tuple[Skill, str]] = {}
    for index, (slug, level) in enumerate(skills):
        skill = skill_get_by_slug(slug, field=f"skills.{index}.skill")
        if level not in SkillLevel.values:
            raise field_error(
                f"skills.{index}.level",
                f"Level must be one of {SkillLevel.values}.",
                code="unknown_level",
            )
        resolved[skill.pk] = (skill, level)
    with transaction.atomic():
        HelperSkill.objects.filter(helper=actor).exclude(skill_id__in=resolved).delete()
        for skill, level in resolved.values():
            HelperSkill.objects.update_or_create(
                helper=actor, skill=skill, defaults={"level": level}
            )
        helper_changed.send(sender=HelperSkill, helper_id=actor.pk)
    return list(HelperSkill.objects.filter(helper=actor).select_related("skill"))
