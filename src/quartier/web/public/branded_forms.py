"""What a partner's customer fills in on the partner's branded page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.geo.models import Country
from quartier.partners.models import Program

from ..fields import PostcodeField, default_country


class BrandedCaseForm(forms.Form):
    """What a partner's customer fills in on the branded page (no account needed)."""

    service = forms.ChoiceField(label=_("What do you need help with?"))
    contact_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    postcode = PostcodeField()
    street_address = forms.CharField(
        label=_("Street and number"),
        max_length=200,
        help_text=_("Only the helper who takes the job sees it."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    description = forms.CharField(
        label=_("What is the problem? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    product_model = forms.CharField(
        label=_("Installed product (optional)"),
        required=False,
        max_length=200,
        help_text=_("The model, as printed on the device or the delivery note."),
    )
    product_diagnostics = forms.CharField(
        label=_("What the device shows (optional)"),
        required=False,
        max_length=200,
        help_text=_("E.g. an error code or which lights are on."),
    )
    # Left empty by people; bots that fill every field are turned away.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, programs: Iterable[Program] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        groups: list[tuple[str, Any]] = [("", _("Choose…"))]
        for program in programs:
            services = [(f"{program.slug}/{s.code}", s.name) for s in program.services.all()]
            if services:
                groups.append((program.label, services))
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = groups
        if not self.is_bound:
            self.initial.setdefault("country", default_country())

    def program_and_service(self) -> tuple[str, str]:
        program, _, service = self.cleaned_data["service"].partition("/")
        return program, service

    def products(self) -> list[dict[str, Any]]:
        model = self.cleaned_data.get("product_model", "").strip()
        if not model:
            return []
        product: dict[str, Any] = {"kind": "device", "model": model}
        diagnostics = self.cleaned_data.get("product_diagnostics", "").strip()
        if diagnostics:
            product["diagnostics"] = {"reported_by_customer": diagnostics}
        return [product]
