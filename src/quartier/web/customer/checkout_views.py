"""Checkout: between choosing an offer and the booking. The customer sees the price lines,
who provides the service (a private person or a business, and in Germany what that means
for their rights), the cancellation terms, chooses how to pay and may add a tip."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from quartier.bookings.checkout import offer_checkout as offer_checkout_summary
from quartier.bookings.services import offer_accept
from quartier.cards.selectors import offer_provider_kinds
from quartier.cards.services import offer_accept_by_provider
from quartier.errors import QuartierError

from ..access import actor_of, member_view, posted
from ..payment_forms import PAYMENT_FIELDS, PaymentForm
from ..provider import consumer_notice, provider_kind_of
from ..service_errors import add_to_form, friendly
from .card_views import card_setup_redirect


def _book(
    request: HttpRequest, offer_id: int, request_id: int, form: PaymentForm
) -> HttpResponse | None:
    """Book with the form's choice. A refusal about the choice stays on the form (None);
    one about the offer (taken, the helper booked meanwhile) goes back to the request."""
    choice = form.choice()
    by_provider = choice["payment_method"] in ("card", "twint")
    try:
        if by_provider:
            booking = offer_accept_by_provider(
                actor=actor_of(request),
                offer_id=offer_id,
                kind=choice["payment_method"],
                tip_minor=choice["tip_minor"],
            )
        else:
            booking = offer_accept(actor=actor_of(request), offer_id=offer_id, **choice)
    except QuartierError as error:
        if error.status in (403, 404):
            raise
        if error.errors:
            add_to_form(form, error, PAYMENT_FIELDS)
            return None
        messages.error(request, friendly(error))
        return redirect("web:request_detail", request_id)
    messages.success(request, gettext("Booked! The helper now sees your address."))
    if choice["payment_method"] == "card":
        return card_setup_redirect(request, booking.pk)
    return redirect("web:booking_detail", booking.pk)


@member_view
def offer_checkout(request: HttpRequest, offer_id: int) -> HttpResponse:
    """GET: the summary and the payment choice; POST: book. A POST without a choice books
    by bank transfer without a tip."""
    summary = offer_checkout_summary(actor=actor_of(request), offer_id=offer_id)
    offer, job = summary.offer, summary.offer.request
    data = posted(request)
    if data is not None and not data.get("payment_method"):
        data = data.copy()
        data["payment_method"] = "transfer"
    form = PaymentForm(data, provider_methods=offer_provider_kinds(offer))
    if data is not None and form.is_valid():
        answer = _book(request, offer.pk, job.pk, form)
        if answer is not None:
            return answer
    kind = provider_kind_of(offer.helper)
    return render(
        request,
        "web/requests/checkout.html",
        {
            "summary": summary,
            "offer": offer,
            "job": job,
            "form": form,
            "provider_kind": kind,
            "consumer_notice": consumer_notice(kind, job.country),
            "market": job.country,
            # § 35a EStG: only what is paid to the provider's account counts, never cash.
            "tax_relief_hint": job.country == "DE"
            and (job.skill.household_related or job.skill.craftsman),
        },
        status=422 if form.errors else 200,
    )
