"""Keep each helper's public listing in step with their profile, skills and reviews."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from quartier.accounts.models import ProProfile
from quartier.catalog.selectors import helper_skill_list
from quartier.geo.gazetteer_names import exact_key
from quartier.matching.selectors import matchable_helpers
from quartier.reviews.models import Direction
from quartier.reviews.selectors import user_score
from quartier.vetting.selectors import unvetted_skill_ids

from .models import Listing


def listing_refresh(*, helper_id: int) -> Listing | None:
    """Write the helper's listing, or remove it when they cannot be booked (paused,
    suspended, terms not accepted, no longer a helper)."""
    profile = matchable_helpers().select_related("user").filter(user_id=helper_id).first()
    if profile is None:
        Listing.objects.filter(helper_id=helper_id).delete()
        return None
    skills = list(helper_skill_list(helper_id=helper_id).select_related("skill"))
    unvetted = unvetted_skill_ids(helper_id, [s.skill_id for s in skills])
    skills = [s for s in skills if s.skill_id not in unvetted]  # not offered until vetted
    company = ProProfile.objects.filter(user_id=helper_id).values_list("company_name", flat=True)
    words = [
        profile.user.full_name,
        *company,
        profile.bio,
        profile.locality,
        profile.postcode,
        *(f"{s.skill.name_en} {s.skill.name_de}" for s in skills),
    ]
    score = user_score(user_id=helper_id, direction=Direction.CUSTOMER_TO_HELPER)
    values: dict[str, Any] = {
        "document": exact_key(" ".join(words)),
        "skills": " " + " ".join(sorted(s.skill.slug for s in skills)) + " ",
        "country": profile.country,
        "locality": profile.locality,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "hourly_rate_minor": profile.hourly_rate_minor,
        "currency": profile.currency,
        "rating_average": round(score.average, 3),
        "rating_count": score.count,
    }
    with transaction.atomic():
        listing, _ = Listing.objects.update_or_create(helper_id=helper_id, defaults=values)
    return listing


def listing_rebuild() -> int:
    """Every listing again (after an import or a change of what listings hold)."""
    Listing.objects.all().delete()
    count = 0
    for helper_id in matchable_helpers().values_list("user_id", flat=True).iterator():
        count += listing_refresh(helper_id=helper_id) is not None
    return count


_deferred: ContextVar[set[int] | None] = ContextVar("listing_refresh_deferred", default=None)


@contextmanager
def listing_refresh_deferred() -> Iterator[None]:
    """For bulk work (demo seeding): refresh each touched helper's listing once, at the end,
    instead of after every change (as `matching.services.match_index_deferred`)."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for helper_id in sorted(pending):
        listing_refresh(helper_id=helper_id)


def on_helper_changed(sender: object, helper_id: int, **kwargs: Any) -> None:
    pending = _deferred.get()
    if pending is None:
        listing_refresh(helper_id=helper_id)
    else:
        pending.add(helper_id)
