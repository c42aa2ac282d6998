"""What the public pages show, read through the other contexts' models in one place."""

from __future__ import annotations

from dataclasses import dataclass

from quartier.catalog.models import Skill, SkillCategory
from quartier.matching.selectors import matchable_helpers
from quartier.reviews.models import Review


@dataclass(frozen=True)
class MarketplaceStats:
    helpers: int
    localities: int
    reviews: int


def marketplace_stats() -> MarketplaceStats:
    helpers = matchable_helpers()
    return MarketplaceStats(
        helpers=helpers.count(),
        localities=helpers.values("locality").distinct().count(),
        reviews=Review.objects.count(),
    )


def skill_groups() -> list[tuple[SkillCategory, list[Skill]]]:
    skills = Skill.objects.filter(is_active=True).select_related("category")
    groups: dict[int, tuple[SkillCategory, list[Skill]]] = {}
    for skill in skills:
        groups.setdefault(skill.category_id, (skill.category, []))[1].append(skill)
    return sorted(groups.values(), key=lambda group: group[0].position)
