"""Reporting a problem with a booking (either party); operators decide in the back office."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.bookings.disputes import dispute_open
from quartier.bookings.models import DisputeReason
from quartier.errors import QuartierError

from ..access import actor_of, member_view
from ..service_errors import friendly

REASONS = [
    (DisputeReason.NOT_DONE, _("The work was not done")),
    (DisputeReason.POOR_QUALITY, _("The work was done badly")),
    (DisputeReason.NO_SHOW, _("The other side did not show up")),
    (DisputeReason.PRICE, _("The price is not what was agreed")),
    (DisputeReason.DAMAGE, _("Something was damaged")),
    (DisputeReason.OTHER, _("Something else")),
]


class DisputeForm(forms.Form):
    reason = forms.ChoiceField(label=_("What went wrong?"), choices=REASONS)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quartier's team reads both sides and decides. Stay factual."),
    )


@require_POST
@member_view
def dispute_new(request: HttpRequest, booking_id: int) -> HttpResponse:
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose what went wrong and describe what happened."))
        return redirect("web:booking_detail", booking_id)
    try:
        dispute_open(
            actor=actor_of(request),
            booking_id=booking_id,
            reason=form.cleaned_data["reason"],
            description=form.cleaned_data["description"],
        )
    except QuartierError as error:
        messages.error(request, friendly(error))
    else:
        messages.success(
            request, gettext("Thank you. Our team looks at it and gets back to both of you.")
        )
    return redirect("web:booking_detail", booking_id)
