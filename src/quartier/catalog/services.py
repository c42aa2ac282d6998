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


MAX_RATE_MINOR = 100_000  # as the profile's hourly rate
MAX_FIXED_PRICE_MINOR = 1_000_000


def helper_skill_prices_set(
    *,
    actor: User,
    skill: str,
    hourly_rate_minor: int | None,
    fixed_price_minor: int | None,
    fixed_duration_minutes: int = 120,
) -> HelperSkill:
    """Set the prices of one of the helper's skills: its own hourly rate (None: the
    profile's) and a fixed price for a standard job of `fixed_duration_minutes` (None: no
    "Book now"). Helpers set their own prices; nothing here judges them."""
    if not actor.is_helper:
        raise Forbidden("Only helpers can set prices.", code="not_a_helper")
    skill_obj = skill_get_by_slug(skill)
    if hourly_rate_minor is not None and not 0 < hourly_rate_minor <= MAX_RATE_MINOR:
        raise field_error(
            "hourly_rate_minor", "The hourly rate must lie between 0.01 and 1000.", code="bad_rate"
        )
    if fixed_price_minor is not None and not 0 < fixed_price_minor <= MAX_FIXED_PRICE_MINOR:
        raise field_error(
            "fixed_price_minor",
            "The fixed price must lie between 0.01 and 10000.",
            code="bad_fixed_price",
        )
    if not 30 <= fixed_duration_minutes <= 720:
        raise field_error(
            "fixed_duration_minutes",
            "A standard job takes between 30 minutes and 12 hours.",
            code="bad_fixed_duration",
        )
    with transaction.atomic():
        updated = HelperSkill.objects.filter(helper=actor, skill=skill_obj).update(
            hourly_rate_minor=hourly_rate_minor,
            fixed_price_minor=fixed_price_minor,
            fixed_duration_minutes=fixed_duration_minutes,
        )
        if updated != 1:
            raise field_error(
                "skill", "Offer this skill first, then set its prices.", code="skill_not_offered"
            )
        helper_changed.send(sender=HelperSkill, helper_id=actor.pk)
    return HelperSkill.objects.select_related("skill").get(helper=actor, skill=skill_obj)
