"""Checkout: between choosing an offer and the booking. The customer sees the price lines,
who provides the service and how to reach them (a private person or a business, and in
Germany what that means for their rights: the withdrawal notice and model form naming a
trader, and the two declarations, unticked), the cancellation terms, chooses how to pay and
may add a tip — and may go back to change any of it before booking."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from quartier.bookings.changes import Trader
from quartier.bookings.checkout import offer_checkout as offer_checkout_summary
from quartier.bookings.models import Offer
from quartier.bookings.selectors import get_offer_for
from quartier.bookings.services import offer_accept
from quartier.bookings.withdrawal import contract_of
from quartier.cards.selectors import offer_provider_kinds
from quartier.cards.services import offer_accept_by_provider
from quartier.errors import QuartierError

from ..access import actor_of, member_view, posted
from ..payment_forms import PAYMENT_FIELDS, PaymentForm
from ..provider import consumer_notice, provider_kind_of, trader_of
from ..service_errors import add_to_form, friendly
from ..withdrawal_forms import ConsentForm, consumer_context
from .card_views import card_setup_redirect


def _book(
    request: HttpRequest,
    offer: Offer,
    form: PaymentForm,
    consent: ConsentForm,
    trader: Trader | None,
) -> HttpResponse | None:
    """Book with the form's choice. A refusal about the choice stays on the form (None);
    one about the offer (taken, the helper booked meanwhile) goes back to the request."""
    choice, declared = form.choice(), consent.choice()
    try:
        if choice["payment_method"] in ("card", "twint"):
            booking = offer_accept_by_provider(
                actor=actor_of(request),
                offer_id=offer.pk,
                kind=choice["payment_method"],
                tip_minor=choice["tip_minor"],
                trader=trader,
                **declared,
            )
        else:
            booking = offer_accept(
                actor=actor_of(request), offer_id=offer.pk, trader=trader, **choice, **declared
            )
    except QuartierError as error:
        if error.code == "email_not_verified":  # the checkout page shows how to confirm
            messages.error(request, friendly(error))
            return redirect("web:offer_accept", offer.pk)
        if error.status in (403, 404):
            raise
        if error.errors:
            add_to_form(form, error, PAYMENT_FIELDS)
            return None
        messages.error(request, friendly(error))
        return redirect("web:request_detail", offer.request_id)
    messages.success(request, gettext("Booked! The helper now sees your address."))
    contract = contract_of(booking)
    if contract is not None and contract.regime == "withdrawal" and not contract.consented:
        messages.info(
            request,
            gettext(
                "Without your request to start early, the helper can check in only after the "
                "14-day withdrawal period. You can still ask for it on this page."
            ),
        )
    if choice["payment_method"] == "card":
        return card_setup_redirect(request, booking.pk)
    return redirect("web:booking_detail", booking.pk)


@member_view
def offer_checkout(request: HttpRequest, offer_id: int) -> HttpResponse:
    """GET: the summary and the payment choice; POST: book. A POST without a choice books
    by bank transfer without a tip."""
    actor = actor_of(request)
    trader = trader_of(get_offer_for(actor, offer_id).helper)
    summary = offer_checkout_summary(actor=actor, offer_id=offer_id, trader=trader)
    offer, job = summary.offer, summary.offer.request
    data = posted(request)
    if data is not None and not data.get("payment_method"):
        data = data.copy()
        data["payment_method"] = "transfer"
    form = PaymentForm(data, provider_methods=offer_provider_kinds(offer))
    consent = ConsentForm(data)
    if data is not None and form.is_valid() and consent.is_valid():
        answer = _book(request, offer, form, consent, trader)
        if answer is not None:
            return answer
    kind = provider_kind_of(offer.helper)
    consumer = consumer_context(summary)
    return render(
        request,
        "web/requests/checkout.html",
        {
            "summary": summary,
            "offer": offer,
            "job": job,
            "form": form,
            "provider_kind": kind,
            "consumer_notice": consumer["regime_text"] or consumer_notice(kind, job.country),
            "consent_form": consent if consumer["regime"] == "withdrawal" else None,
            "market": job.country,
            **consumer,
            # § 35a EStG: only what is paid to the provider's account counts, never cash.
            "tax_relief_hint": job.country == "DE"
            and (job.skill.household_related or job.skill.craftsman),
        },
        status=422 if form.errors else 200,
    )
