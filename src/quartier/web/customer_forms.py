"""Forms of the customer's journey: posting a request, and reviewing a finished job."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from quartier.catalog.selectors import skill_list
from quartier.geo.models import Country

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


class RequestForm(forms.Form):
    skill = forms.ChoiceField(label=_("What do you need help with?"))
    title = forms.CharField(
        label=_("In a few words"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. TV box shows no picture")}),
    )
    description = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    postcode = PostcodeField()
    street_address = forms.CharField(
        label=_("Street and number"),
        max_length=200,
        help_text=_("Only the helper you book sees it."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    window_start = local_datetime_field(_("From"))
    window_end = local_datetime_field(_("Until"))
    budget = forms.DecimalField(
        label=_("Budget (optional)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("What you would like to spend in all, in francs or euros."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["skill"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = skill_choices()
        if not self.is_bound:
            start = (timezone.localtime() + timedelta(days=1)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            self.initial.setdefault("window_start", start)
            self.initial.setdefault("window_end", start.replace(hour=17))
            self.initial.setdefault("country", default_country())

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        start: datetime | None = data.get("window_start")
        end: datetime | None = data.get("window_end")
        if start and end and end <= start:
            self.add_error("window_end", _("The time window must end after it starts."))
        return data


RATINGS = [(str(n), str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "stars"}),
        help_text=_("5 is excellent, 1 is poor."),
    )
    text = forms.CharField(
        label=_("A few words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, skill_name: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if skill_name is not None:  # the customer also rates the skill used on the job
            self.fields["skill_rating"] = forms.TypedChoiceField(
                label=_("In %(skill)s") % {"skill": skill_name},
                choices=RATINGS,
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "stars"}),
                help_text=_("Leave it empty to use the overall rating."),
            )
            self.order_fields(["rating", "skill_rating", "text"])
