"""`{% booking_invoices booking %}`: a booking's invoices (PDF links) on both parties' pages,
whether a transfer is paid (with "I have paid" / "Money received"), and for the helper why
no invoice was issued in their name."""

from __future__ import annotations

from typing import Any

from django import template

from quartier.accounts.models import User
from quartier.households.access import acts_for
from quartier.invoicing.api import pdf_url
from quartier.invoicing.collection import payment_of
from quartier.invoicing.models import CustomerPayment
from quartier.invoicing.profile import GAP_LABELS
from quartier.invoicing.selectors import invoice_list_for_booking, invoice_withheld_for_booking

register = template.Library()


@register.inclusion_tag("web/bookings/_invoices.html", takes_context=True)
def booking_invoices(context: template.Context, booking: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"invoices": [], "gaps": []}
    invoices = []
    for invoice in invoice_list_for_booking(actor=user, booking_id=booking.pk):
        state, due = payment_of(invoice)
        invoices.append(
            {
                "invoice": invoice,
                "url": pdf_url(invoice.pk),
                "state": str(state),
                "due_minor": due,
                "is_customer": acts_for(user, invoice.customer_id),
                "is_helper": user.pk == invoice.helper_id,
                "pursuit": CustomerPayment.objects.filter(invoice=invoice)
                .values_list("pursuit", flat=True)
                .first()
                or "",
            }
        )
    gaps: list[Any] = []
    withheld = invoice_withheld_for_booking(booking_id=booking.pk)
    if withheld is not None and user.pk == booking.helper_id and not invoices:
        gaps = [GAP_LABELS.get(code, code) for code in withheld.gaps]
    return {"invoices": invoices, "gaps": gaps}
