"""A German consumer's two declarations (checkout and the booking page share them), each
its own box, never ticked in advance (§ 356 Abs. 4 BGB), and what checkout shows about the
consumer's rights."""

from __future__ import annotations

from typing import Any

from django import forms

from quartier.bookings.checkout import CheckoutSummary
from quartier.bookings.withdrawal import contract_preview
from quartier.bookings.withdrawal_notices import (
    EARLY_START_TEXT,
    LOSS_TEXT,
    contract_notice,
    regime_text,
)

#: Where the consent service's field errors show on this form.
CONSENT_FIELDS = {"early_start": "early_start", "loss_acknowledged": "loss_acknowledged"}


class ConsentForm(forms.Form):
    early_start = forms.BooleanField(label=EARLY_START_TEXT, required=False, initial=False)
    loss_acknowledged = forms.BooleanField(label=LOSS_TEXT, required=False, initial=False)

    def choice(self) -> dict[str, Any]:
        return {
            "early_start": bool(self.cleaned_data.get("early_start")),
            "loss_acknowledged": bool(self.cleaned_data.get("loss_acknowledged")),
        }


def consumer_context(summary: CheckoutSummary) -> dict[str, Any]:
    """The regime, its text, and with a right of withdrawal the notice naming the trader."""
    consumer = summary.consumer
    return {
        "regime": consumer.regime,
        "regime_text": regime_text(consumer.regime),
        "trader": consumer.trader,
        "withdrawal_notice": contract_notice(
            contract_preview(consumer), summary.offer.request.title
        ),
    }
