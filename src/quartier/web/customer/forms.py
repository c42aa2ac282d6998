"""The customer's request form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.geo.models import Country

from ..fields import (
    PhotosField,
    PostcodeField,
    default_country,
    local_datetime_field,
    skill_choices,
)


class RequestForm(forms.Form):
    for_customer = forms.TypedChoiceField(
        label=_("Who is it for?"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The request, the booking and the invoice are in their name."),
    )
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
    helpers_needed = forms.IntegerField(
        label=_("How many helpers?"),
        required=False,
        min_value=1,
        max_value=6,
        help_text=_("A move may need two: they are booked together, each at their own price."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    also_on_1 = forms.DateField(
        label=_("Further visits, at the same hours (optional)"),
        required=False,
        help_text=_("A job over several days (a garden): each visit is booked on its own."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    also_on_2 = forms.DateField(
        label=_("Another visit"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    also_on_3 = forms.DateField(
        label=_("Another visit"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    helper = forms.IntegerField(required=False, widget=forms.HiddenInput)
    urgent = forms.BooleanField(
        label=_("Urgent repair: please come as soon as possible"),
        required=False,
        help_text=_("In Germany, repairs you ask for urgently carry no right of withdrawal."),
    )

    photos = PhotosField(
        label=_("Photos (optional, up to 5)"),
        required=False,
        help_text=_("A photo of the broken device or the furniture helps helpers quote."),
    )

    def __init__(self, *args: Any, members: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members:  # the household members the actor is a delegate of
            chooser = self.fields["for_customer"]
            assert isinstance(chooser, forms.ChoiceField)
            chooser.choices = [("", _("Myself")), *members]
        else:
            del self.fields["for_customer"]
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
        _window_clean(self, data)
        _visits_clean(self, data)
        return data


def _visits_clean(form: forms.Form, data: dict[str, Any]) -> None:
    """Further visit days: after the first, not twice, and not with several helpers."""
    start: datetime | None = data.get("window_start")
    days = [data[f"also_on_{n}"] for n in (1, 2, 3) if data.get(f"also_on_{n}")]
    data["visit_days"] = sorted(set(days))
    if not days:
        return
    if (data.get("helpers_needed") or 1) > 1:
        form.add_error("also_on_1", _("Ask either for several helpers or for several visits."))
    elif start and any(day <= timezone.localtime(start).date() for day in days):
        form.add_error("also_on_1", _("Further visits come after the first day."))
    elif len(set(days)) != len(days):
        form.add_error("also_on_1", _("Give each day once."))


def _window_clean(form: forms.Form, data: dict[str, Any]) -> None:
    start: datetime | None = data.get("window_start")
    end: datetime | None = data.get("window_end")
    if start and end and end <= start:
        form.add_error("window_end", _("The time window must end after it starts."))


class RequestEditForm(forms.Form):
    """What the customer may change while no offer is accepted (not the place)."""

    title = RequestForm.base_fields["title"]
    description = RequestForm.base_fields["description"]
    street_address = RequestForm.base_fields["street_address"]
    window_start = local_datetime_field(_("From"))
    window_end = local_datetime_field(_("Until"))
    budget = RequestForm.base_fields["budget"]

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        _window_clean(self, data)
        return data


class PhotosForm(forms.Form):
    photos = PhotosField(label=_("Add photos"))
