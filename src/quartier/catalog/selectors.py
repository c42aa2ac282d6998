"""Reads of the skill catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from quartier.accounts.models import HelperProfile
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


@dataclass(frozen=True)
class SkillPrice:
    """What a helper charges for one skill: the hourly rate customers see (the skill's own,
    else the profile's) and, if set, a fixed price for a standard job."""

    hourly_rate_minor: int
    fixed_price_minor: int | None
    fixed_duration_minutes: int
    own_rate: bool  # the skill has its own hourly rate


def skill_prices(
    *, helper_ids: Iterable[int], skill_id: int, profile_rates: dict[int, int] | None = None
) -> dict[int, SkillPrice]:
    """Per helper id (those with a profile), their price for the skill (two queries; one
    with `profile_rates`, the profiles' hourly rates by user id, read by the caller)."""
    ids = list(helper_ids)
    rates = (
        profile_rates
        if profile_rates is not None
        else dict(
            HelperProfile.objects.filter(user_id__in=ids).values_list(
                "user_id", "hourly_rate_minor"
            )
        )
    )
    declared = {
        hs.helper_id: hs
        for hs in HelperSkill.objects.filter(helper_id__in=ids, skill_id=skill_id).only(
            "helper_id", "hourly_rate_minor", "fixed_price_minor", "fixed_duration_minutes"
        )
    }
    prices = {}
    for helper_id, profile_rate in rates.items():
        hs = declared.get(helper_id)
        own = hs.hourly_rate_minor if hs else None
        prices[helper_id] = SkillPrice(
            hourly_rate_minor=own or profile_rate,
            fixed_price_minor=hs.fixed_price_minor if hs else None,
            fixed_duration_minutes=hs.fixed_duration_minutes if hs else 120,
            own_rate=own is not None,
        )
    return prices


def skill_price(*, helper_id: int, skill_id: int) -> SkillPrice | None:
    """The helper's price for the skill, or None without a helper profile."""
    return skill_prices(helper_ids=[helper_id], skill_id=skill_id).get(helper_id)
