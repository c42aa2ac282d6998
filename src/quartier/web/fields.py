"""Form fields every audience's forms use: the postcode with its suggestions, a local date
and time, the skills grouped by category, the visitor's likely country."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from quartier.catalog.selectors import skill_list

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
POSTCODE = re.compile(r"^\s*(?:CH-|DE-|D-)?(\d{4,5})\b", re.IGNORECASE)


def local_datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    """A date and time picker in local time (Europe/Zurich and Europe/Berlin agree)."""
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
        **kwargs,
    )


def skill_choices() -> list[tuple[str, Any]]:
    """Skills grouped by category (optgroups), named in the active language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for skill in skill_list().order_by("category__position", "position"):
        groups.setdefault(skill.category.name, []).append((skill.slug, skill.name))
    return [("", _("Choose…")), *groups.items()]


def default_country() -> str:
    return "DE" if (get_language() or "").lower() == "de" else "CH"


class PostcodeField(forms.CharField):
    """A postcode typed or picked from the suggestions ("8004", "8004 Zürich", "CH-8004")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Postcode"))
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", _("Type the postcode or the place; pick a suggestion."))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "list": "postcode-list",
                "autocomplete": "postal-code",
                # htmx fills the datalist with suggestions for the chosen country as you type
                "hx-get": reverse_lazy("web:postcode_suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#postcode-list",
                "hx-include": "[name=country]",
                # an answer that arrives after the visitor moved on must not reopen the list
                "hx-on::before-swap": "event.detail.shouldSwap = document.activeElement === this",
            }
        )

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        match = POSTCODE.match(text)
        if match is None:
            raise forms.ValidationError(
                _("Enter the postcode's digits, e.g. 8004 or 10115."), code="bad_postcode"
            )
        return match[1]


MAX_PHOTOS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to five photos in one field (the services check each file: quartier.uploads)."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Attach at most %(max)d photos.") % {"max": MAX_PHOTOS})
        return [super(PhotosField, self).clean(f, initial) for f in files]
