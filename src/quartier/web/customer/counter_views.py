"""The customer counters an offer once: another price, another time, or both."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quartier.bookings.counters import COUNTER_HOURS, counter_make
from quartier.bookings.selectors import get_offer_for
from quartier.errors import QuartierError
from quartier.households.access import acts_for
from quartier.money import to_major, to_minor

from ..access import actor_of, member_view, posted
from ..fields import local_datetime_field
from ..service_errors import add_to_form

COUNTER_FIELDS = {"price_minor": "price", "lines": "price"}


class CounterForm(forms.Form):
    price = forms.DecimalField(
        label=_("Your price for the whole job"),
        min_value=Decimal(0),
        max_value=Decimal(100_000),
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}),
    )
    proposed_start = local_datetime_field(_("Come at"))
    proposed_end = local_datetime_field(_("Done by"))
    message = forms.CharField(
        label=_("Message to the helper (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _initial(offer: Any) -> dict[str, Any]:
    return {
        "price": to_major(offer.price_minor),
        "proposed_start": timezone.localtime(offer.proposed_start),
        "proposed_end": timezone.localtime(offer.proposed_end),
    }


@member_view
def offer_counter(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The counter form, filled with the offer's terms; sent once, it is the one round."""
    actor = actor_of(request)
    offer = get_offer_for(actor, offer_id)
    if not acts_for(actor, offer.request.customer_id):
        raise Http404
    form = CounterForm(posted(request), initial=_initial(offer))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            counter_make(
                actor=actor,
                offer_id=offer.pk,
                price_minor=to_minor(data["price"]),
                proposed_start=data["proposed_start"],
                proposed_end=data["proposed_end"],
                message=data["message"],
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            add_to_form(form, error, COUNTER_FIELDS)
        else:
            done = gettext("Your counter-offer is sent to %(name)s.")
            messages.success(request, done % {"name": offer.helper.first_name})
            return redirect("web:request_detail", offer.request_id)
    context = {"offer": offer, "form": form, "hours": COUNTER_HOURS}
    return render(request, "web/requests/counter.html", context)
