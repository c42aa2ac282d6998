"""Booking by phone in the back office: a customer (often elderly, without the app) calls,
and an operator books the offer they choose for them. The booking is the customer's; the
operator's act and the note of the call go to the operator audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from quartier.accounts.models import User
from quartier.errors import QuartierError

from .checkout import CUSTOMER_METHODS
from .models import Offer, OfferStatus
from .services import offer_accept


class PhoneBookingForm(forms.Form):
    payment_method = forms.ChoiceField(choices=[(str(m), str(m)) for m in CUSTOMER_METHODS])
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who called, when, and what they agreed to (kept in the operator audit).",
    )


class PhoneBookingAdmin(admin.ModelAdmin[Offer]):
    """Adds "Book by phone" to the offers' back office."""

    actions = ["book_by_phone"]

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.phone_view)
        return [
            path("<int:offer_id>/book-by-phone/", view, name="bookings_offer_book_by_phone"),
            *super().get_urls(),
        ]

    @admin.action(description="Book for the customer who called")
    def book_by_phone(self, request: HttpRequest, queryset: QuerySet[Offer]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one offer.", messages.ERROR)
            return None
        return HttpResponseRedirect(
            reverse("admin:bookings_offer_book_by_phone", args=[queryset.get().pk])
        )

    def phone_view(self, request: HttpRequest, offer_id: int) -> HttpResponse:
        operator = request.user
        if not (isinstance(operator, User) and operator.is_staff):
            raise PermissionDenied
        if not self.has_view_permission(request):
            raise PermissionDenied
        offer = get_object_or_404(
            Offer.objects.select_related("request__customer", "helper"), pk=offer_id
        )
        form = PhoneBookingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                booking = offer_accept(
                    actor=operator,
                    offer_id=offer.pk,
                    payment_method=form.cleaned_data["payment_method"],
                    by_phone=form.cleaned_data["note"],
                )
            except QuartierError as error:
                self.message_user(request, str(error.detail), messages.ERROR)
            else:
                self.message_user(request, "Booked; the customer is sent the summary.")
                return HttpResponseRedirect(
                    reverse("admin:bookings_booking_change", args=[booking.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "Book by phone",
            "offer": offer,
            "form": form,
            "pending": offer.status == OfferStatus.PENDING,
        }
        return TemplateResponse(request, "admin/bookings/offer/book_by_phone.html", context)
