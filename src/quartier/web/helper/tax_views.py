"""The helper's "Tax reporting" page: the data Quartier reports to the tax office (DAC7 /
PStTG) beyond the payout profile, what is still missing, and the VAT / AHV threshold alerts
the helper confirms or answers with a new VAT status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.accounts.models import HelperProfile
from quartier.compliance.dac7_data import RESIDENCE_STATES, dac7_gaps, seller_data, tax_data_save
from quartier.compliance.labels import gap_words
from quartier.compliance.models import Dac7Standing, ThresholdAlert
from quartier.compliance.thresholds import alert_confirm
from quartier.errors import QuartierError
from quartier.money import format_money

from ..access import actor_of, posted, role_view
from ..service_errors import add_to_form
from .payout_views import VAT_CHOICES

helper_view = role_view("helper")
TIN_ROWS = 3
STATES = [("", _("Choose …"))] + [(code, code) for code in sorted(RESIDENCE_STATES)]
FIELD_WORDS = {
    "bad_tin": _("This is not a valid tax identification number of the state you chose."),
    "tin_country": _("Choose the state that issued the number."),
    "tin_missing": _("Enter the number for the state you chose."),
    "implausible_birth_date": _("Check the date of birth."),
    "bad_residence": _("Choose states from the list."),
    "bad_register_number": _("Check the register number."),
}


class TaxDataForm(forms.Form):
    is_entity = forms.BooleanField(
        label=_("I sell as a company (legal entity), not as a person"), required=False
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput({"type": "date"})
    )
    residence_countries = forms.MultipleChoiceField(
        label=_("States you are resident in"),
        required=False,
        choices=STATES[1:],
        widget=forms.CheckboxSelectMultiple,
    )
    tin_1 = forms.CharField(label=_("Tax identification number"), required=False, max_length=40)
    tin_1_country = forms.ChoiceField(label=_("Issued by"), required=False, choices=STATES)
    tin_2 = forms.CharField(label=_("Another tax number"), required=False, max_length=40)
    tin_2_country = forms.ChoiceField(label=_("Issued by"), required=False, choices=STATES)
    tin_3 = forms.CharField(label=_("Another tax number"), required=False, max_length=40)
    tin_3_country = forms.ChoiceField(label=_("Issued by"), required=False, choices=STATES)
    birth_town = forms.CharField(
        label=_("Place of birth (only without a tax number)"), required=False, max_length=100
    )
    birth_country = forms.ChoiceField(label=_("Country of birth"), required=False, choices=STATES)
    register_number = forms.CharField(
        label=_("Business register number (companies)"), required=False, max_length=80
    )


class ConfirmForm(forms.Form):
    vat_status = forms.ChoiceField(label=_("Your VAT status"), choices=VAT_CHOICES[1:])


def _initial(data: Any) -> dict[str, Any]:
    tax = data.tax
    initial: dict[str, Any] = {
        name: getattr(tax, name)
        for name in ("is_entity", "date_of_birth", "birth_town", "birth_country", "register_number")
    }
    initial["residence_countries"] = list(tax.residence_countries)
    for i, item in enumerate(tax.tins[:TIN_ROWS], start=1):
        initial[f"tin_{i}"], initial[f"tin_{i}_country"] = item["tin"], item["country"]
    return initial


def _data(cleaned: dict[str, Any]) -> dict[str, Any]:
    tins = [
        {"tin": cleaned[f"tin_{i}"], "country": cleaned[f"tin_{i}_country"]}
        for i in range(1, TIN_ROWS + 1)
    ]
    return {**cleaned, "tins": tins}


def _show_error(form: TaxDataForm, error: QuartierError) -> None:
    if not error.errors:
        add_to_form(form, error)
        return
    for name, texts in error.errors.items():
        field = {"tins": "tin_1"}.get(name, name)
        code = error.field_codes.get(name, "")
        form.add_error(
            field if field in form.fields else None,
            str(FIELD_WORDS[code]) if code in FIELD_WORDS else texts[0],
        )


@helper_view
def tax_data(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    data = seller_data(actor)
    form = TaxDataForm(posted(request), initial=_initial(data))
    if request.method == "POST" and form.is_valid():
        try:
            tax_data_save(actor=actor, data=_data(form.cleaned_data))
        except QuartierError as error:
            _show_error(form, error)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("web:helper_tax")
    alerts = [
        (alert, format_money(alert.turnover_minor, alert.currency, locale="de"), ConfirmForm())
        for alert in ThresholdAlert.objects.filter(helper=actor)
    ]
    return render(
        request,
        "web/helper/tax.html",
        {
            "form": form,
            "reportable": data.reportable,
            "gaps": gap_words(dac7_gaps(data)) if data.reportable else [],
            "standing": Dac7Standing.objects.filter(user=actor).first(),
            "on_hold": HelperProfile.objects.filter(
                user=actor, tax_data_hold_since__isnull=False
            ).exists(),
            "alerts": alerts,
            "vat_status": data.payout.get_vat_status_display() if data.payout.vat_status else "",
        },
    )


@require_POST
@helper_view
def alert_answer(request: HttpRequest, alert_id: int) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose your VAT status from the list."))
        return redirect("web:helper_tax")
    try:
        alert_confirm(
            actor=actor_of(request), alert_id=alert_id, vat_status=form.cleaned_data["vat_status"]
        )
    except QuartierError as error:
        texts = [text for field in (error.errors or {}).values() for text in field]
        messages.error(request, texts[0] if texts else error.detail)
    else:
        messages.success(request, gettext("Thank you: your VAT status is saved."))
    return redirect("web:helper_tax")
