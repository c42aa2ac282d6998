"""The helper's "Payout & tax" page: bank account, address, VAT status and the invoicing
mandate — what Quartier needs before issuing invoices in their name and paying them out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.cards.config import provider_enabled
from quartier.cards.selectors import helper_connected_account
from quartier.errors import QuartierError
from quartier.payments.mandate import MANDATE_VERSION, mandate_text
from quartier.payments.profiles import gaps_of, payout_profile_for, payout_profile_save

from ..access import actor_of, posted, role_view
from ..service_errors import add_to_form

helper_view = role_view("helper")

VAT_CHOICES = [
    ("", _("Choose …")),
    ("ch_unregistered", _("Switzerland: not registered for VAT")),
    ("ch_registered", _("Switzerland: registered for VAT (MWST)")),
    ("de_private", _("Germany: private person, not an entrepreneur")),
    ("de_small", _("Germany: small business (Kleinunternehmer, § 19 UStG)")),
    ("de_regular", _("Germany: entrepreneur, regular VAT")),
]
#: Each gap code in the helper's words.
GAP_LABELS = {
    "legal_name": _("your full legal name"),
    "address": _("your address (street, house number, postcode, town, country)"),
    "iban": _("your IBAN and the account holder"),
    "vat_status": _("your VAT status (and that it is still valid)"),
    "uid": _("your UID (MWST number)"),
    "tax_number": _("your Steuernummer or USt-IdNr"),
    "mandate": _("your consent to the invoicing mandate"),
}
#: Field errors worded by the service's code (the rest show the service's words).
FIELD_WORDS = {
    "bad_iban": _("This IBAN is not valid: check the digits."),
    "iban_not_chf": _("Payouts in francs need a Swiss or Liechtenstein IBAN."),
    "iban_not_sepa": _("Payouts in euros need an IBAN in the SEPA area."),
    "bad_postcode": _("A Swiss postcode has 4 digits, a German one 5."),
    "unknown_country": _("Choose Switzerland or Germany."),
    "vat_status_country": _("This VAT status is for the other country."),
    "uid_required": _("Registered for VAT: enter your UID (MWST number)."),
    "bad_ch_uid": _("Use your Swiss UID, e.g. CHE-123.456.789."),
    "tax_number_required": _("Enter your Steuernummer or your USt-IdNr."),
    "bad_tax_number": _("This Steuernummer is not valid."),
    "bad_vat_id": _("Use your USt-IdNr, e.g. DE123456789."),
    "vat_validity_reversed": _("The end is before the start."),
}


class PayoutProfileForm(forms.Form):
    provider_kind = forms.ChoiceField(
        label=_("You work as"),
        choices=[("private", _("Private person")), ("business", _("Business"))],
    )
    legal_name = forms.CharField(label=_("Full legal name"), required=False, max_length=140)
    street = forms.CharField(label=_("Street"), required=False, max_length=70)
    house_number = forms.CharField(label=_("House number"), required=False, max_length=16)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=16)
    town = forms.CharField(label=_("Town"), required=False, max_length=35)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("Choose …")), ("CH", _("Switzerland")), ("DE", _("Germany"))],
    )
    iban = forms.CharField(label=_("IBAN"), required=False, max_length=42)
    account_holder = forms.CharField(label=_("Account holder"), required=False, max_length=70)
    vat_status = forms.ChoiceField(label=_("VAT status"), required=False, choices=VAT_CHOICES)
    vat_valid_from = forms.DateField(
        label=_("VAT status valid from"), required=False, widget=forms.DateInput({"type": "date"})
    )
    vat_valid_until = forms.DateField(
        label=_("VAT status valid until (if it ends)"),
        required=False,
        widget=forms.DateInput({"type": "date"}),
    )
    uid = forms.CharField(label=_("UID / MWST number (Switzerland)"), required=False, max_length=30)
    tax_number = forms.CharField(label=_("Steuernummer (Germany)"), required=False, max_length=30)
    vat_id = forms.CharField(label=_("USt-IdNr (Germany)"), required=False, max_length=20)
    mandate_accepted = forms.BooleanField(
        label=_("I agree to the invoicing mandate above."), required=False
    )


def _initial(profile: Any) -> dict[str, Any]:
    names = [name for name in PayoutProfileForm.base_fields if name != "mandate_accepted"]
    return {name: getattr(profile, name) for name in names}


def _show_error(form: PayoutProfileForm, error: QuartierError) -> None:
    if not error.errors:
        add_to_form(form, error)
        return
    for name, texts in error.errors.items():
        field = name if name in form.fields else None
        code = error.field_codes.get(name, "")
        form.add_error(field, str(FIELD_WORDS[code]) if code in FIELD_WORDS else texts[0])


@helper_view
def payout_profile(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    profile = payout_profile_for(actor)
    form = PayoutProfileForm(posted(request), initial=_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            payout_profile_save(actor=actor, data=form.cleaned_data)
        except QuartierError as error:
            _show_error(form, error)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("web:helper_payout")
    gaps = gaps_of(profile)
    signed = profile.mandate_signed_at is not None and profile.mandate_version == MANDATE_VERSION
    return render(
        request,
        "web/helper/payout.html",
        {
            "form": form,
            "gaps": [GAP_LABELS[gap] for gap in gaps],
            "mandate_text": mandate_text(translation.get_language() or "de"),
            "mandate_version": MANDATE_VERSION,
            "mandate_signed_at": profile.mandate_signed_at if signed else None,
            "provider_on": provider_enabled(),
            "provider_account": helper_connected_account(actor.pk),
        },
    )
