"""Explanations in plain words: why a helper is matched, and why another one is not.

Both are worded in the active language (the web's visitor, the API caller's language, the
e-mail's recipient); invitations keep the figures, not the sentence (`explanation_facts`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from quartier.accounts.holds import hold_of
from quartier.accounts.models import HelperProfile, User
from quartier.bookings.availability import free_hours
from quartier.geo.distance import haversine_km
from quartier.jobs.models import JobRequest
from quartier.reviews.selectors import Score

from .engine import Candidate
from .models import MatchIndex


def _km(value: float) -> str:
    return number_format(value, 1)


def _answer_time(minutes: float) -> str:
    if minutes < 60:
        return gettext("%(minutes)d min") % {"minutes": max(5, round(minutes / 5) * 5)}
    hours = minutes / 60
    if hours < 48:
        return gettext("%(hours)d h") % {"hours": round(hours)}
    days = round(hours / 24)
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def explanation_facts(candidate: Candidate, shown: Score) -> dict[str, float | int | None]:
    """The figures an explanation is made of, kept apart from its words: an invitation stores
    them, and each reader gets the sentence in their own language."""
    return {
        "distance_km": round(candidate.distance_km, 1),
        "average": round(shown.average, 1),
        "count": shown.count,
        "response_minutes": candidate.response_minutes,
    }


def explanation(facts: dict[str, Any], skill_name: str) -> str:
    """E.g. "2.3 km away · 4.8 in TV & set-top box from 31 reviews · usually answers within
    20 min", in the active language."""
    parts = [gettext("%(km)s km away") % {"km": _km(facts["distance_km"])}]
    count = int(facts["count"])
    if count:
        parts.append(
            ngettext(
                "%(average)s in %(skill)s from %(count)d review",
                "%(average)s in %(skill)s from %(count)d reviews",
                count,
            )
            % {"average": _km(facts["average"]), "skill": skill_name, "count": count}
        )
    else:
        parts.append(gettext("new in %(skill)s") % {"skill": skill_name})
    if facts.get("response_minutes") is not None:
        parts.append(
            gettext("usually answers within %(time)s")
            % {"time": _answer_time(facts["response_minutes"])}
        )
    return " · ".join(parts)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


def profile_standing(helper: User, *, profile: HelperProfile | None = None) -> Reason | None:
    """Why the helper's own profile keeps them out of every match, if it does. `profile`:
    the helper's profile when the caller read it already."""
    if profile is None or profile.user_id != helper.pk:
        profile = HelperProfile.objects.filter(user=helper).first()
    if profile is not None:
        profile.user = helper  # read already: is_matchable looks at the account
    if profile is not None and profile.tax_data_hold_since is not None:
        return Reason(
            "tax_data_missing",
            gettext("Your tax reporting data is incomplete: complete it to be matched again."),
        )
    hold = hold_of(helper.pk)
    if hold is not None:
        return Reason(hold[0], gettext(hold[1]))  # the message is a msgid
    if profile is None or not profile.is_matchable:
        return Reason(
            "not_matchable",
            gettext("Your profile is paused, suspended or waiting for the contractor terms."),
        )
    return None


def _reach(helper: User, request: JobRequest, row: MatchIndex, distance: float) -> list[Reason]:
    """What keeps an offered skill from reaching this request: radius, hours, capacity."""
    reasons: list[Reason] = []
    if distance > row.radius_km:
        reasons.append(
            Reason(
                "outside_radius",
                gettext(
                    "The request is %(distance)s km from you, beyond your %(radius)s km "
                    "service radius."
                )
                % {"distance": _km(distance), "radius": row.radius_km},
            )
        )
    hours = free_hours(
        helpers={helper.pk: int(row.weekly_hours, 16) if row.weekly_hours else None},
        window_start=request.window_start,
        window_end=request.window_end,
    )
    if hours.get(helper.pk, 0) < 1:
        reasons.append(
            Reason(
                "unavailable",
                gettext("Your weekly hours, holidays or bookings leave no free hour."),
            )
        )
    if row.open_invitations >= settings.QUARTIER_MAX_OPEN_INVITATIONS:
        reasons.append(
            Reason("capacity", gettext("You already have the maximum number of open invitations."))
        )
    return reasons


def why_not(*, helper: User, request: JobRequest) -> list[Reason]:
    """Why `helper` is not (or no longer) among the matches of `request`, in plain words.

    Empty when the helper is matched. Only ever about the helper's own standing, never
    about other helpers' private data beyond their distance.
    """
    from .selectors import match_helpers  # the selectors build on this module

    reasons: list[Reason] = []
    if request.booked_helper_id and request.booked_helper_id != helper.pk:
        reasons.append(Reason("taken", gettext("Another helper's offer was accepted first.")))
    standing = profile_standing(helper)
    if standing is not None:
        return [*reasons, standing]
    row = MatchIndex.objects.filter(helper_id=helper.pk, skill_id=request.skill_id).first()
    if row is None:
        message = gettext("You do not offer %(skill)s.") % {"skill": request.skill.name}
        reasons.append(Reason("skill", message))
        return reasons
    distance = haversine_km(request.latitude, request.longitude, row.latitude, row.longitude)
    reasons += _reach(helper, request, row, distance)
    if reasons:
        return reasons
    matches = match_helpers(request)
    if all(m.helper_id != helper.pk for m in matches) and matches:
        last = matches[-1]
        reasons.append(
            Reason(
                "ranking",
                gettext(
                    "%(count)s helpers ranked higher; the last one shown was %(last)s km away "
                    "(you: %(you)s km). Ranking weighs distance, your rating in this skill, kept "
                    "commitments and answer speed."
                )
                % {"count": len(matches), "last": _km(last.distance_km), "you": _km(distance)},
            )
        )
    return reasons
