"""The helper's offer: a fixed price or an hourly rate with the hours estimated, plus
travel and material if any, with the VAT rate the helper charges (0 unless registered)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.bookings.models import LineKind, Pricing
from quartier.bookings.offer_terms import OfferTerms
from quartier.bookings.pricing import VAT_RATES
from quartier.jobs.models import JobRequest
from quartier.money import to_major, to_minor

from ..fields import local_datetime_field

#: Where the pricing services' field errors show on this form.
OFFER_FIELDS = {
    "price_minor": "price",
    "hourly_rate_minor": "hourly_rate",
    "estimated_hours": "hours",
    "lines": "price",
}


def _amount(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_value=Decimal(100_000),
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
    )


def _next_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


class OfferForm(forms.Form):
    pricing = forms.ChoiceField(
        label=_("How you charge"),
        choices=Pricing.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    price = _amount(_("Your price for the whole job"))
    hourly_rate = _amount(_("Your hourly rate"))
    hours = forms.DecimalField(
        label=_("Hours you expect it to take"),
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.25"}),
    )
    travel = _amount(_("Travel (optional)"))
    material = _amount(_("Material (optional)"), help_text=_("Parts you bring and charge for."))
    vat_rate = forms.ChoiceField(label=_("VAT you charge (%)"), required=False)
    proposed_start = local_datetime_field(_("You come at"))
    proposed_end = local_datetime_field(_("Done by"))
    message = forms.CharField(
        label=_("Message to the customer (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, job: JobRequest, rate_minor: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start = max(timezone.localtime(job.window_start), _next_hour(timezone.localtime()))
        end = min(start + timedelta(hours=2), timezone.localtime(job.window_end))
        self.initial.setdefault("proposed_start", start)
        self.initial.setdefault("proposed_end", end)
        self.initial.setdefault("pricing", Pricing.FIXED)
        rates = sorted(VAT_RATES[job.currency])
        vat = self.fields["vat_rate"]
        assert isinstance(vat, forms.ChoiceField)
        vat.choices = [(str(rate), f"{rate.normalize():f} %") for rate in rates]
        self.initial.setdefault("vat_rate", "0")
        if rate_minor:
            self.initial.setdefault("price", to_major(rate_minor * 2))
            self.initial.setdefault("hourly_rate", to_major(rate_minor))
            self.initial.setdefault("hours", Decimal(2))

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        hourly = data.get("pricing") == Pricing.HOURLY
        needed = ("hourly_rate", "hours") if hourly else ("price",)
        for name in needed:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return data

    def offer(self) -> tuple[int | None, OfferTerms]:
        """The price and terms as `offer_create` takes them: the whole price as the labour
        line (or rate x hours), with travel and material as lines of their own."""
        data = self.cleaned_data
        vat_rate = Decimal(data.get("vat_rate") or 0)
        extras = [
            (LineKind.TRAVEL, gettext("Travel"), data.get("travel")),
            (LineKind.MATERIAL, gettext("Material"), data.get("material")),
        ]
        lines: list[dict[str, Any]] = [
            {"kind": kind, "label": label, "unit_minor": to_minor(amount), "vat_rate": vat_rate}
            for kind, label, amount in extras
            if amount
        ]
        if data.get("pricing") == Pricing.HOURLY:
            terms = OfferTerms(
                pricing=Pricing.HOURLY,
                lines=lines,
                hourly_rate_minor=to_minor(data["hourly_rate"]),
                estimated_hours=data["hours"],
                vat_rate=vat_rate,
            )
            return None, terms
        price = to_minor(data["price"])
        if not lines:  # one labour line of the whole price
            return price, OfferTerms(vat_rate=vat_rate)
        labour = {"kind": LineKind.LABOUR, "label": gettext("Work"), "unit_minor": price}
        return None, OfferTerms(lines=[labour | {"vat_rate": vat_rate}, *lines], vat_rate=vat_rate)
