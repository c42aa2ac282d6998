"""Forms of the partner area (dashboard filters, notes, settings) and the branded entry page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.geo.models import Country
from quartier.jobs.states import RequestState
from quartier.partners.models import Program
from quartier.partners.states import WebhookEvent

from .customer_forms import PostcodeField, default_country

SLA_LABELS: dict[str, Any] = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "breached": _("Breached"),
    "met": _("Met"),
}
ESCALATION_LABELS: dict[str, Any] = {
    "helper": _("The helper asked for a technician"),
    "sla": _("The SLA was breached"),
    "triage": _("Sent straight to technicians (low crowd resolution rate)"),
    "partner": _("Taken back by you"),
}
NOTE_AUTHORS: dict[str, Any] = {
    "partner": _("you"),
    "helper": _("helper"),
    "operator": _("Quartier"),
    "system": _("system"),
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class CaseFilterForm(forms.Form):
    """The case table's filters (GET); every field optional."""

    reference = forms.CharField(label=_("Reference or e-mail"), required=False, max_length=100)
    program = forms.ChoiceField(label=_("Program"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    sla = forms.ChoiceField(label=_("SLA"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    since = forms.DateField(label=_("Created from"), required=False, widget=DATE)
    until = forms.DateField(label=_("Created until"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, programs: Iterable[Program] = (), regions: Iterable[str] = (), **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        programs = list(programs)
        self._set("program", _any(_("All programs")) + [(p.slug, p.name) for p in programs])
        services = {(s.code, s.name) for p in programs for s in p.services.all()}
        self._set("service", _any(_("All services")) + sorted(services, key=lambda s: s[1]))
        self._set("state", _any(_("All states")) + RequestState.choices)
        self._set("sla", _any(_("Any SLA status")) + list(SLA_LABELS.items()))
        self._set("region", _any(_("All regions")) + [(r, r) for r in regions])

    def _set(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Per"), choices=[("week", _("Week")), ("month", _("Month"))], required=False
    )
    program = forms.ChoiceField(label=_("Program"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def __init__(self, *args: Any, programs: Iterable[Program] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["program"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _any(_("All programs")) + [(p.slug, p.name) for p in programs]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The booked helper sees it too."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=150)


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"),
        max_length=80,
        help_text=_("E.g. the system that uses it: CRM production."),
    )


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"), max_length=500, assume_scheme="https", help_text=_("HTTPS, public.")
    )
    description = forms.CharField(label=_("Description (optional)"), required=False, max_length=120)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(e, e) for e in WebhookEvent.values],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
    )


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
                groups.append((program.name, services))
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
