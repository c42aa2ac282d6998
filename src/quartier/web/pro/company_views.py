"""Pros (small businesses): company data and the staff who do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.accounts.services import pro_profile_upsert
from quartier.errors import QuartierError

from ..access import actor_of, posted, role_view
from ..selectors import pro_profile_of
from ..service_errors import FieldTarget, add_to_form


class CompanyForm(forms.Form):
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    uid = forms.CharField(
        label=_("UID or VAT ID"),
        max_length=20,
        help_text=_("Swiss UID (CHE-123.456.789) or German VAT ID (DE123456789)."),
    )


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if data.get("email") and not data.get("full_name"):
            self.add_error("full_name", _("Each staff member needs a name."))
        return data


StaffFormSet = forms.formset_factory(StaffForm, extra=2, can_delete=True, max_num=50)


@role_view("pro")
def company(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    profile = pro_profile_of(actor)
    initial_company = {"company_name": profile.company_name, "uid": profile.uid} if profile else {}
    initial_staff = (
        [{"full_name": s.full_name, "email": s.email} for s in profile.staff.all()]
        if profile
        else []
    )
    data = posted(request)
    form = CompanyForm(data, initial=initial_company)
    staff = StaffFormSet(data, initial=initial_staff, prefix="staff")
    if request.method == "POST" and form.is_valid() and staff.is_valid():
        kept = [
            f
            for f in staff.forms
            if f.cleaned_data.get("full_name") and not f.cleaned_data.get("DELETE")
        ]
        try:
            pro_profile_upsert(
                actor=actor,
                company_name=form.cleaned_data["company_name"],
                uid=form.cleaned_data["uid"],
                staff=[(f.cleaned_data["full_name"], f.cleaned_data["email"]) for f in kept],
            )
        except QuartierError as error:
            fields: dict[str, FieldTarget] = {}
            for index, member in enumerate(kept):
                fields[f"staff.{index}.full_name"] = (member, "full_name")
                fields[f"staff.{index}.email"] = (member, "email")
            add_to_form(form, error, fields)
        else:
            messages.success(request, gettext("Your company profile is saved."))
            return redirect("web:pro_company")
    return render(
        request, "web/pro/company.html", {"form": form, "staff": staff, "profile": profile}
    )
