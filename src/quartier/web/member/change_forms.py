"""Changes during the visit on the booking page: the helper's "propose a change" form, and
what the customer sees of each change (with the withdrawal notice and its two boxes where a
German consumer's right of withdrawal applies)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.accounts.models import User
from quartier.bookings.change_models import ChangeStatus
from quartier.bookings.change_notices import EARLY_START_TEXT, LOSS_TEXT, withdrawal_notice
from quartier.bookings.changes import change_list_for
from quartier.bookings.models import Booking, LineKind, Pricing
from quartier.bookings.pricing import VAT_RATES
from quartier.bookings.states import CHECKED_IN
from quartier.households.access import acts_for
from quartier.money import to_minor

#: Where the change services' field errors show on the form.
CHANGE_FIELDS = {"unit_minor": "unit_price"}


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("What for"), choices=LineKind.choices)
    label = forms.CharField(
        label=_("What exactly"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. HDMI cable, 2 m")}),
    )
    quantity = forms.DecimalField(
        label=_("Quantity (hours for time)"),
        initial=Decimal(1),
        min_value=Decimal("0.001"),
        max_value=Decimal(10_000),
        max_digits=9,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    unit_price = forms.DecimalField(
        label=_("Price per unit, VAT included"),
        min_value=Decimal("0.05"),
        max_value=Decimal(100_000),
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
    )
    vat_rate = forms.ChoiceField(label=_("VAT you charge (%)"))
    note = forms.CharField(
        label=_("Why (optional, the customer reads it)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    urgent_repair = forms.BooleanField(
        label=_("Part of the urgent repair the customer asked for"), required=False
    )

    def __init__(self, *args: Any, booking: Booking, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        if booking.offer.pricing == Pricing.HOURLY:  # the clock bills the time
            kind.choices = [c for c in LineKind.choices if c[0] != LineKind.LABOUR]
        self.initial.setdefault("kind", LineKind.MATERIAL)
        vat = self.fields["vat_rate"]
        assert isinstance(vat, forms.ChoiceField)
        vat.choices = [
            (str(r), f"{r.normalize():f} %") for r in sorted(VAT_RATES[booking.currency])
        ]
        self.initial.setdefault("vat_rate", "0")
        if not booking.request.urgent:
            del self.fields["urgent_repair"]

    def proposal(self) -> dict[str, Any]:
        """What `change_propose` takes besides the actor, booking and trader."""
        data = self.cleaned_data
        line = {
            "kind": data["kind"],
            "label": data["label"],
            "quantity": data["quantity"],
            "unit_minor": to_minor(data["unit_price"]),
            "vat_rate": Decimal(data["vat_rate"]),
        }
        return {
            "line": line,
            "note": data["note"],
            "urgent_repair": bool(data.get("urgent_repair")),
        }


def changes_context(
    actor: User, booking: Booking, change_form: ChangeForm | None = None
) -> dict[str, Any]:
    """The booking page's changes: each with its notice where one applies, the helper's form
    while checked in, and how many still wait for the customer."""
    changes = change_list_for(actor=actor, booking_id=booking.pk)
    in_visit = booking.state == CHECKED_IN
    may_propose = in_visit and actor.pk == booking.helper_id
    if may_propose and change_form is None:
        change_form = ChangeForm(booking=booking)
    return {
        "changes": [(change, withdrawal_notice(change)) for change in changes],
        "changes_pending": sum(c.status == ChangeStatus.PROPOSED for c in changes),
        "may_answer_changes": in_visit and acts_for(actor, booking.customer_id),
        "change_form": change_form if may_propose else None,
        "early_start_text": EARLY_START_TEXT,
        "loss_text": LOSS_TEXT,
    }
