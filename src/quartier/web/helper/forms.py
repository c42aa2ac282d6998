"""Forms of the helper's journey: profile, skills, weekly hours and offers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from quartier.accounts.models import HelperProfile
from quartier.bookings.models import WeeklySlot
from quartier.catalog.models import HelperSkill, SkillLevel
from quartier.catalog.selectors import skill_list
from quartier.geo.models import Country
from quartier.money import to_major

from ..fields import PostcodeField, default_country
from ..labels import SPOKEN_LANGUAGES


class HelperProfileForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    postcode = PostcodeField(
        label=_("Your postcode"), help_text=_("Where you start from; customers see the place.")
    )
    service_radius_km = forms.IntegerField(
        label=_("How far you travel (km)"),
        min_value=1,
        help_text=_("You are matched with requests within this distance of your postcode."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hourly_rate = forms.DecimalField(
        label=_("Your hourly rate"),
        max_value=Decimal(1000),
        help_text=_("In francs (Switzerland) or euros (Germany). You set your own prices."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
        min_value=Decimal("0.05"),
        max_digits=9,
        decimal_places=2,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
    )
    bio = forms.CharField(
        label=_("About you (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    accept_contractor_terms = forms.BooleanField(
        label=_(
            "I work as an independent contractor: I set my own prices, may decline any "
            "request, look after my own insurance, taxes and social security."
        ),
        required=False,
    )

    def __init__(self, *args: Any, profile: HelperProfile | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.terms_accepted_at = profile.contractor_terms_accepted_at if profile else None
        radius = self.fields["service_radius_km"]
        assert isinstance(radius, forms.IntegerField)
        radius.max_value = settings.QUARTIER_MAX_SERVICE_RADIUS_KM
        radius.widget.attrs["max"] = radius.max_value
        radius.validators.append(MaxValueValidator(radius.max_value))
        if profile is not None:
            self.initial.update(
                country=profile.country,
                postcode=profile.postcode,
                service_radius_km=profile.service_radius_km,
                hourly_rate=to_major(profile.hourly_rate_minor),
                languages=profile.languages,
                bio=profile.bio,
            )
        else:
            self.initial.update(country=default_country(), service_radius_km=10, languages=["de"])
        if self.terms_accepted_at:
            del self.fields["accept_contractor_terms"]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if not self.terms_accepted_at and not data.get("accept_contractor_terms"):
            self.add_error(
                "accept_contractor_terms",
                _("Please confirm the contractor terms: you are matched only after that."),
            )
        return data


class SkillsForm(forms.Form):
    """One level choice per skill of the catalogue; empty means "I don't offer this"."""

    def __init__(self, *args: Any, declared: Iterable[HelperSkill] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {hs.skill.slug: hs.level for hs in declared}
        self.groups: dict[str, list[str]] = {}
        for skill in skill_list().order_by("category__position", "position"):
            name = f"skill_{skill.slug}"
            self.fields[name] = forms.ChoiceField(
                label=skill.name,
                required=False,
                choices=[("", _("Not offered")), *SkillLevel.choices],
                initial=current.get(skill.slug, ""),
            )
            self.groups.setdefault(skill.category.name, []).append(name)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(_("Choose at least one skill you offer."))
        return data

    def chosen(self) -> list[tuple[str, str]]:
        return [
            (name.removeprefix("skill_"), level)
            for name, level in self.cleaned_data.items()
            if name.startswith("skill_") and level
        ]


SLOTS_PER_DAY = 2
HALF_HOURS = {"step": 1800}


class AvailabilityForm(forms.Form):
    """Up to two periods per weekday, local time; nothing at all means "any time"."""

    def __init__(self, *args: Any, slots: Iterable[WeeklySlot] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing: dict[int, list[WeeklySlot]] = {}
        for slot in slots:
            existing.setdefault(slot.weekday, []).append(slot)
        self.days: list[tuple[str, list[tuple[str, str]]]] = []
        for weekday in range(7):
            pairs = []
            for n in range(SLOTS_PER_DAY):
                start, end = f"d{weekday}_{n}_start", f"d{weekday}_{n}_end"
                known = existing.get(weekday, [])
                for name, attr, label in (
                    (start, "start_time", _("from")),
                    (end, "end_time", _("to")),
                ):
                    self.fields[name] = forms.TimeField(
                        label=label,
                        required=False,
                        widget=forms.TimeInput(
                            attrs={"type": "time", **HALF_HOURS}, format="%H:%M"
                        ),
                        initial=getattr(known[n], attr) if n < len(known) else None,
                    )
                pairs.append((start, end))
            self.days.append((str(WEEKDAYS[weekday]), pairs))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        for _day, pairs in self.days:
            for start, end in pairs:
                if (data.get(start) is None) != (data.get(end) is None):
                    missing = end if data.get(end) is None else start
                    self.add_error(missing, _("Give both the start and the end."))
        return data

    def slots(self) -> tuple[list[tuple[int, time, time]], list[str]]:
        """(weekday, start, end) for every filled period, and the form field each came from
        (for mapping a service error `slots.N.start` back to its field)."""
        slots: list[tuple[int, time, time]] = []
        sources: list[str] = []
        for weekday, (_day, pairs) in enumerate(self.days):
            for start, end in pairs:
                if self.cleaned_data.get(start) is not None:
                    slots.append((weekday, self.cleaned_data[start], self.cleaned_data[end]))
                    sources.append(start)
        return slots, sources
