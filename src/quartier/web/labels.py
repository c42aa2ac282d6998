"""Translated words for the web's own choices (roles, spoken languages) and for the matcher's
explanations, which the services give in English only.

States, levels and countries are named by their `TextChoices` labels (`RequestState(x).label`),
translated in this app's catalogue; `choice_label` shows one whatever the value.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from quartier.matching.explain import Reason
from quartier.matching.selectors import Match

ROLES: list[tuple[str, Any]] = [
    ("customer", _("I need help (customer)")),
    ("helper", _("I want to help (helper)")),
    ("pro", _("I run a small business (pro)")),
]

#: Languages a helper may speak, named in themselves (never translated).
SPOKEN_LANGUAGES = [
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("en", "English"),
    ("es", "Español"),
    ("pt", "Português"),
    ("tr", "Türkçe"),
    ("sq", "Shqip"),
    ("hr", "Hrvatski"),
    ("sr", "Srpski"),
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("ar", "العربية"),
]


def label(mapping: dict[str, Any], value: str) -> str:
    return str(mapping.get(value, value))


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The translated label of `value`, or the value itself when it is not one of the choices."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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


def match_sentence(match: Match, skill_name: str) -> str:
    """Why this helper is shown, e.g. "2.3 km away · 4.8 in TV & set-top box from 31 reviews ·
    usually answers within 20 min" (the matcher's explanation, in the visitor's language)."""
    parts = [gettext("%(km)s km away") % {"km": _km(match.candidate.distance_km)}]
    score = match.score
    if score.count:
        parts.append(
            ngettext(
                "%(average)s in %(skill)s from %(count)d review",
                "%(average)s in %(skill)s from %(count)d reviews",
                score.count,
            )
            % {"average": _km(score.average), "skill": skill_name, "count": score.count}
        )
    else:
        parts.append(gettext("new in %(skill)s") % {"skill": skill_name})
    if match.candidate.response_minutes is not None:
        parts.append(
            gettext("usually answers within %(time)s")
            % {"time": _answer_time(match.candidate.response_minutes)}
        )
    return " · ".join(parts)


_OUTSIDE = re.compile(r"is ([\d.]+) km from you, beyond your (\d+) km")
_RANKED = re.compile(
    r"^(\d+) helpers ranked higher; the last one shown was ([\d.]+) km away "
    r"\(you: ([\d.]+) km\)"
)


def why_not_sentence(reason: Reason, skill_name: str) -> str:
    """A why-not reason in the visitor's language (the English original when unknown)."""
    fixed = {
        "taken": _("Another helper's offer was accepted first."),
        "not_matchable": _(
            "Your profile is paused, suspended or waiting for the contractor terms."
        ),
        "unavailable": _("Your weekly hours, holidays or bookings leave no free hour."),
        "capacity": _("You already have the maximum number of open invitations."),
    }
    if reason.code in fixed:
        return str(fixed[reason.code])
    if reason.code == "skill":
        return gettext("You do not offer %(skill)s.") % {"skill": skill_name}
    outside = _OUTSIDE.search(reason.message)
    if reason.code == "outside_radius" and outside:
        return gettext(
            "The request is %(distance)s km from you, beyond your %(radius)s km service radius."
        ) % {"distance": _km(float(outside[1])), "radius": outside[2]}
    ranked = _RANKED.search(reason.message)
    if reason.code == "ranking" and ranked:
        return gettext(
            "%(count)s helpers ranked higher; the last one shown was %(last)s km away "
            "(you: %(you)s km). Ranking weighs distance, your rating in this skill, kept "
            "commitments and answer speed."
        ) % {"count": ranked[1], "last": _km(float(ranked[2])), "you": _km(float(ranked[3]))}
    return reason.message
