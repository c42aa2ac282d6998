"""A helper's prices per skill: an hourly rate of its own, and a fixed price for a
standard job that customers can book at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.catalog.models import HelperSkill
from quartier.catalog.services import helper_skill_prices_set
from quartier.errors import QuartierError
from quartier.money import to_major, to_minor

from ..access import actor_of, role_view
from ..service_errors import friendly


def _amount(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.05"),
        max_value=Decimal(10000),
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
    )


class SkillPriceForm(forms.Form):
    hourly_rate = _amount(_("Hourly rate for this skill"), _("Empty: your profile's rate."))
    fixed_price = _amount(
        _("Fixed price for a standard job"), _("Empty: no booking at once (Book now).")
    )
    fixed_minutes = forms.IntegerField(
        label=_("A standard job takes (minutes)"),
        min_value=30,
        max_value=720,
        initial=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "15"}),
    )


def price_forms(declared: list[HelperSkill]) -> list[tuple[HelperSkill, SkillPriceForm]]:
    """One form per declared skill, filled in with its prices (ids prefixed by its slug)."""
    return [
        (
            hs,
            SkillPriceForm(
                prefix=hs.skill.slug,
                initial={
                    "hourly_rate": to_major(hs.hourly_rate_minor) if hs.hourly_rate_minor else None,
                    "fixed_price": to_major(hs.fixed_price_minor) if hs.fixed_price_minor else None,
                    "fixed_minutes": hs.fixed_duration_minutes,
                },
            ),
        )
        for hs in declared
    ]


@require_POST
@role_view("helper")
def skill_prices(request: HttpRequest, skill: str) -> HttpResponse:
    form = SkillPriceForm(request.POST, prefix=skill)
    if not form.is_valid():
        messages.error(request, gettext("Check the prices: amounts up to 10,000, 30 to 720 min."))
        return redirect("web:helper_skills")
    data = form.cleaned_data
    try:
        helper_skill_prices_set(
            actor=actor_of(request),
            skill=skill,
            hourly_rate_minor=to_minor(data["hourly_rate"]) if data["hourly_rate"] else None,
            fixed_price_minor=to_minor(data["fixed_price"]) if data["fixed_price"] else None,
            fixed_duration_minutes=data["fixed_minutes"],
        )
    except QuartierError as error:
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("Your prices are saved."))
    return redirect("web:helper_skills")
