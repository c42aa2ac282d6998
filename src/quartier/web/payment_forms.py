"""How the customer pays and tips: the checkout form and the booking page's change form
(both audiences' pages use it, so it lives at the web's root)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.bookings.models import PaymentMethod
from quartier.money import to_minor

METHOD_CHOICES = [
    (PaymentMethod.TRANSFER.value, _("By bank transfer, on the invoice you get after the job")),
    (PaymentMethod.CASH.value, _("In cash, to the helper")),
]

#: Through the payment provider, offered when the helper's account there is ready
#: (quartier.cards): a card saved now and charged when the job is done, or TWINT then.
PROVIDER_CHOICES = {
    "card": _("By card, charged when the job is done (you save the card now)"),
    "twint": _("With TWINT, when the job is done"),
}

#: Where the payment services' field errors show on this form.
PAYMENT_FIELDS = {"tip_minor": "tip", "payment_method": "payment_method"}


class PaymentForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("How you pay"), choices=METHOD_CHOICES, widget=forms.RadioSelect
    )
    tip = forms.DecimalField(
        label=_("Tip (optional)"),
        required=False,
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        help_text=_("All of it goes to the helper; Quartier takes no commission on tips."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
    )

    def __init__(
        self,
        *args: Any,
        method: str = "transfer",
        tip_minor: int = 0,
        provider_methods: list[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if provider_methods:
            field = self.fields["payment_method"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = METHOD_CHOICES + [(m, PROVIDER_CHOICES[m]) for m in provider_methods]
        self.initial.setdefault("payment_method", method)
        if tip_minor:
            self.initial.setdefault("tip", Decimal(tip_minor) / 100)

    def choice(self) -> dict[str, Any]:
        """The cleaned choice as the bookings services take it."""
        tip = self.cleaned_data.get("tip")
        return {
            "payment_method": self.cleaned_data["payment_method"],
            "tip_minor": to_minor(tip) if tip is not None else 0,
        }
