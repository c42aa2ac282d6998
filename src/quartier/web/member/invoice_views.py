"""A booking's invoice paid by transfer: the customer says "I have paid", the helper
confirms the money arrived (both from the booking page's invoice card)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.invoicing.collection import (
    invoice_payment_confirm,
    invoice_payment_report,
    invoice_pursuit_set,
)
from quartier.invoicing.models import CustomerPayment
from quartier.invoicing.selectors import get_invoice_for

from ..access import actor_of, back_to, member_view
from ..service_errors import attempt


def _answer(
    request: HttpRequest, invoice_id: int, service: Callable[..., CustomerPayment], done: str
) -> HttpResponse:
    actor = actor_of(request)
    invoice = get_invoice_for(actor, invoice_id)  # 404 for anyone who is no party
    attempt(request, partial(service, actor=actor, invoice_id=invoice.pk), done)
    if invoice.booking_id is None:
        return back_to(request, "web:dashboard")
    return back_to(request, "web:booking_detail", invoice.booking_id)


@require_POST
@member_view
def invoice_paid_report(request: HttpRequest, invoice_id: int) -> HttpResponse:
    done = gettext("Thank you. We have asked the helper to confirm that the money arrived.")
    return _answer(request, invoice_id, invoice_payment_report, done)


@require_POST
@member_view
def invoice_paid_confirm(request: HttpRequest, invoice_id: int) -> HttpResponse:
    done = gettext("Marked as paid. The customer gets no more reminders.")
    return _answer(request, invoice_id, invoice_payment_confirm, done)


@require_POST
@member_view
def invoice_pursuit(request: HttpRequest, invoice_id: int) -> HttpResponse:
    pursuit = request.POST.get("pursuit", "")
    done = (
        gettext("Quartier sends no more reminders for this invoice.")
        if pursuit == "stopped"
        else gettext("Noted: you pursue this invoice yourself; Quartier sends no more reminders.")
    )
    return _answer(request, invoice_id, partial(invoice_pursuit_set, pursuit=pursuit), done)
