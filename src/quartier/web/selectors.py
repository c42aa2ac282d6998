"""What the public pages show, read through the other contexts' models in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery

from quartier.accounts.models import HelperProfile, ProProfile, User
from quartier.bookings.models import Booking, Offer
from quartier.bookings.selectors import booking_list_for
from quartier.catalog.models import HelperSkill, Skill, SkillCategory
from quartier.catalog.selectors import skill_prices
from quartier.households.access import acts_for
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


def helper_profile_and_skill_count(actor: User) -> tuple[HelperProfile | None, int]:
    """The helper's profile, kept on the actor (`actor.helper_profile`: the request views'
    distances read it), and how many skills they declared, in one query."""
    declared = (
        HelperSkill.objects.filter(helper_id=OuterRef("user_id"))
        .order_by()
        .values("helper_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    profile = next(
        iter(
            HelperProfile.objects.filter(user_id=actor.pk).annotate(skill_count=Subquery(declared))
        ),
        None,
    )
    if profile is None:
        return None, HelperSkill.objects.filter(helper_id=actor.pk).count()
    actor.helper_profile = profile
    return profile, int(getattr(profile, "skill_count", 0) or 0)


def helper_rate_for_skill(actor: User, skill_id: int) -> int | None:
    """The hourly rate the helper asks for the skill (its own, else the profile's; None
    without a profile), the profile kept on the actor: one query, none more when the
    request's view reads `actor.helper_profile` for its distance."""
    if User.helper_profile.is_cached(actor):
        profile = getattr(actor, "helper_profile", None)
        rates = {actor.pk: profile.hourly_rate_minor} if profile is not None else {}
        price = skill_prices(helper_ids=[actor.pk], skill_id=skill_id, profile_rates=rates)
        return price[actor.pk].hourly_rate_minor if actor.pk in price else None
    own = HelperSkill.objects.filter(helper_id=OuterRef("user_id"), skill_id=skill_id)
    rows = HelperProfile.objects.filter(user_id=actor.pk).annotate(
        skill_rate=Subquery(own.values("hourly_rate_minor")[:1])
    )
    profile = next(iter(rows), None)
    if profile is None:
        return None
    actor.helper_profile = profile
    return getattr(profile, "skill_rate", None) or profile.hourly_rate_minor


def booking_of_request(
    *, actor: User, request_id: int, customer_id: int | None = None
) -> Booking | None:
    """The booking a request became, if the actor is one of its parties. `customer_id`: the
    request's customer, when the caller has it; the actor acting for them sees the request's
    bookings without reading whom else they act for."""
    if customer_id is not None and acts_for(actor, customer_id):
        own = Booking.objects.filter(request_id=request_id, customer_id=customer_id)
        return (
            own.select_related("request__skill", "helper", "customer", "offer")
            .prefetch_related("offer__lines")
            .order_by("-starts_at", "-id")
            .first()
        )
    return booking_list_for(actor=actor).filter(request_id=request_id).first()


def pro_profile_of(user: User) -> ProProfile | None:
    return ProProfile.objects.filter(user=user).prefetch_related("staff").first()
