"""What the public pages show, read through the other contexts' models in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from quartier.accounts.models import ProProfile, User
from quartier.bookings.models import Booking, Offer
from quartier.bookings.selectors import booking_list_for
from quartier.catalog.models import Skill, SkillCategory
from quartier.matching.selectors import matchable_helpers
from quartier.reviews.models import Review


@dataclass(frozen=True)
class MarketplaceStats:
    helpers: int
    localities: int
    reviews: int


#: How long the home page's figures are kept: three counts over every helper and review,
#: the slowest part of the home page with many helpers, and a minute old is new enough.
STATS_SECONDS = 60
STATS_KEY = "web:marketplace_stats"


def marketplace_stats() -> MarketplaceStats:
    stats: MarketplaceStats | None = cache.get(STATS_KEY)
    if stats is None:
        helpers = matchable_helpers()
        stats = MarketplaceStats(
            helpers=helpers.count(),
            localities=helpers.values("locality").distinct().count(),
            reviews=Review.objects.filter(published_at__isnull=False).count(),
        )
        cache.set(STATS_KEY, stats, STATS_SECONDS)
    return stats


def skill_groups() -> list[tuple[SkillCategory, list[Skill]]]:
    skills = Skill.objects.filter(is_active=True).select_related("category")
    groups: dict[int, tuple[SkillCategory, list[Skill]]] = {}
    for skill in skills:
        groups.setdefault(skill.category_id, (skill.category, []))[1].append(skill)
    return sorted(groups.values(), key=lambda group: group[0].position)


# --- members' pages -------------------------------------------------------------------------


def helper_offers_by_request(*, helper: User) -> dict[int, Offer]:
    """The helper's own offers, by request id."""
    return {offer.request_id: offer for offer in Offer.objects.filter(helper=helper)}


def booking_of_request(*, actor: User, request_id: int) -> Booking | None:
    """The booking a request became, if the actor is one of its parties."""
    return booking_list_for(actor=actor).filter(request_id=request_id).first()


def pro_profile_of(user: User) -> ProProfile | None:
    return ProProfile.objects.filter(user=user).prefetch_related("staff").first()
