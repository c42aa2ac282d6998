"""Translated words for the web's own choices (roles, spoken languages).

States, levels and countries are named by their `TextChoices` labels (`RequestState(x).label`),
translated in this app's catalogue; `choice_label` shows one whatever the value.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

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
