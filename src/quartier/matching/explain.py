"""Explanations in plain words: why a helper is matched, and why another one is not."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from quartier.accounts.holds import hold_of
from quartier.accounts.models import HelperProfile, User
from quartier.bookings.availability import free_hours
from quartier.geo.distance import haversine_km
from quartier.jobs.models import JobRequest
from quartier.reviews.selectors import Score

from .engine import Candidate
from .models import MatchIndex


def _answer_time(minutes: float) -> str:
    if minutes < 60:
        return f"{max(5, round(minutes / 5) * 5):.0f} min"
    hours = minutes / 60
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def explanation(candidate: Candidate, shown: Score, skill_name: str) -> str:
    """E.g. "2.3 km away · 4.8 in TV & set-top box from 31 reviews · usually answers within
    20 min"."""
    parts = [f"{candidate.distance_km:.1f} km away"]
    if shown.count:
        plural = "review" if shown.count == 1 else "reviews"
        parts.append(f"{shown.average:.1f} in {skill_name} from {shown.count} {plural}")
    else:
        parts.append(f"new in {skill_name}")
    if candidate.response_minutes is not None:
        parts.append(f"usually answers within {_answer_time(candidate.response_minutes)}")
    return " · ".join(parts)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


def _profile_standing(helper: User) -> Reason | None:
    """Why the helper's own profile keeps them out of every match, if it does."""
    profile = HelperProfile.objects.filter(user=helper).first()
    if profile is not None and profile.tax_data_hold_since is not None:
        return Reason(
            "tax_data_missing",
            "Your tax reporting data is incomplete: complete it to be matched again.",
        )
    hold = hold_of(helper.pk)
    if hold is not None:
        return Reason(*hold)
    if profile is None or not profile.is_matchable:
        return Reason(
            "not_matchable",
            "Your profile is paused, suspended or waiting for the contractor terms.",
        )
    return None


def why_not(*, helper: User, request: JobRequest) -> list[Reason]:
    """Why `helper` is not (or no longer) among the matches of `request`, in plain words.

    Empty when the helper is matched. Only ever about the helper's own standing, never
    about other helpers' private data beyond their distance.
    """
    from .selectors import match_helpers  # the selectors build on this module

    reasons: list[Reason] = []
    if request.booked_helper_id and request.booked_helper_id != helper.pk:
        reasons.append(Reason("taken", "Another helper's offer was accepted first."))
    standing = _profile_standing(helper)
    if standing is not None:
        return [*reasons, standing]
    row = MatchIndex.objects.filter(helper_id=helper.pk, skill_id=request.skill_id).first()
    if row is None:
        reasons.append(Reason("skill", f"You do not offer {request.skill.name}."))
        return reasons
    distance = haversine_km(request.latitude, request.longitude, row.latitude, row.longitude)
    if distance > row.radius_km:
        reasons.append(
            Reason(
                "outside_radius",
                f"The request is {distance:.1f} km from you, beyond your {row.radius_km} km "
                "service radius.",
            )
        )
    hours = free_hours(
        helpers={helper.pk: int(row.weekly_hours, 16) if row.weekly_hours else None},
        window_start=request.window_start,
        window_end=request.window_end,
    )
    if hours.get(helper.pk, 0) < 1:
        reasons.append(
            Reason("unavailable", "Your weekly hours, holidays or bookings leave no free hour.")
        )
    if row.open_invitations >= settings.QUARTIER_MAX_OPEN_INVITATIONS:
        reasons.append(
            Reason("capacity", "You already have the maximum number of open invitations.")
        )
    if reasons:
        return reasons
    matches = match_helpers(request)
    if all(m.helper_id != helper.pk for m in matches) and matches:
        last = matches[-1]
        reasons.append(
            Reason(
                "ranking",
                f"{len(matches)} helpers ranked higher; the last one shown was "
                f"{last.distance_km:.1f} km away (you: {distance:.1f} km). Ranking weighs "
                "distance, your rating in this skill, kept commitments and answer speed.",
            )
        )
    return reasons
