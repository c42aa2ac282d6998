"""Posting a request by phone in the back office: a customer without the app calls, and an
operator posts what they need for them. The request is the customer's (offers reach them as
usual) and is dispatched like any other; the operator's act and the note of the call go to
the operator audit (`request.by_phone`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from quartier.accounts.models import User
from quartier.catalog.selectors import skill_list
from quartier.errors import QuartierError

from .posting import request_post

_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PhonePostingForm(forms.Form):
    customer_email = forms.EmailField(help_text="The caller's account (a customer).")
    skill = forms.ChoiceField()
    title = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    country = forms.ChoiceField(choices=[("CH", "Switzerland"), ("DE", "Germany")])
    postcode = forms.CharField(max_length=10)
    street_address = forms.CharField(max_length=200)
    window_start = forms.DateTimeField(widget=_LOCAL)
    window_end = forms.DateTimeField(widget=_LOCAL)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who called, when, and what they asked for (kept in the operator audit).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill_field = self.fields["skill"]
        assert isinstance(skill_field, forms.ChoiceField)
        skill_field.choices = [(s.slug, s.name) for s in skill_list()]

    def clean_customer_email(self) -> User:
        email = self.cleaned_data["customer_email"]
        customer = User.objects.filter(
            email__iexact=email, is_active=True, is_customer=True
        ).first()
        if customer is None:
            raise forms.ValidationError("No active customer account has this address.")
        return customer


class PhonePostingAdmin(admin.ModelAdmin[Any]):
    """Adds "Post a request by phone" to the dispatches' back office."""

    change_list_template = "admin/dispatch/dispatch/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.post_by_phone_view)
        return [
            path("post-by-phone/", view, name="dispatch_dispatch_post_by_phone"),
            *super().get_urls(),
        ]

    def post_by_phone_view(self, request: HttpRequest) -> HttpResponse:
        operator = request.user
        if not (isinstance(operator, User) and operator.is_staff):
            raise PermissionDenied
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PhonePostingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            fields = dict(form.cleaned_data)
            customer, note = fields.pop("customer_email"), fields.pop("note")
            try:
                job = request_post(
                    actor=operator, for_customer_id=customer.pk, by_phone=note, **fields
                )
            except QuartierError as error:
                for field, problems in error.errors.items():
                    form.add_error(field if field in form.fields else None, problems)
                if not error.errors:
                    form.add_error(None, str(error.detail))
            else:
                self.message_user(
                    request, f"Posted for {customer.email}; helpers nearby are being invited."
                )
                return HttpResponseRedirect(reverse("admin:jobs_jobrequest_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Post a request by phone",
            "form": form,
        }
        return TemplateResponse(request, "admin/dispatch/dispatch/post_by_phone.html", context)
