"""The partner's statements: what it owes per month and currency, by booking. EUR partners
also get the pain.001 file that pays the helpers from their own account, and say when they
ran it; admins act, analysts read."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.errors import NotFound, QuartierError
from quartier.partners.facade import require_admin
from quartier.partners.models import Partner
from quartier.payments.direct_payments import direct_payment_file_create, direct_payment_file_paid
from quartier.payments.partner_statements import (
    partner_account_set,
    partner_statement_csv,
    partner_statements,
)
from quartier.payments.payout_config import payout_iban
from quartier.payments.payout_models import DirectPaymentFile, PartnerAccount
from quartier.payments.statement_pdf import partner_statement_pdf

from ..access import actor_of, member_view
from ..service_errors import add_to_form, friendly
from .membership import page_context, visited_partner


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), widget=forms.DateInput({"type": "month"}), required=False
    )

    def chosen(self) -> date:
        today = timezone.localdate().replace(day=1)
        if not self.is_valid() or not self.cleaned_data["month"]:
            return today
        try:
            return date.fromisoformat(f"{self.cleaned_data['month']}-01")
        except ValueError:
            self.add_error("month", _("Choose a month like 2026-03."))
            return today


class PartnerAccountForm(forms.Form):
    iban = forms.CharField(label=_("IBAN you pay helpers from"), max_length=42)
    account_holder = forms.CharField(label=_("Account holder"), max_length=70)
    street = forms.CharField(label=_("Street"), max_length=70)
    house_number = forms.CharField(label=_("House number"), max_length=16)
    postcode = forms.CharField(label=_("Postcode"), max_length=16)
    town = forms.CharField(label=_("Town"), max_length=35)


def _page(
    request: HttpRequest, slug: str, *, account_form: PartnerAccountForm | None = None
) -> HttpResponse:
    partner, is_admin = visited_partner(request, slug)
    month_form = MonthForm(request.GET or None)
    month = month_form.chosen()
    account = PartnerAccount.objects.filter(partner=partner).first()
    files = DirectPaymentFile.objects.filter(partner=partner, month=month)
    context = page_context(
        partner,
        is_admin,
        month=month,
        month_form=month_form,
        statements=partner_statements(partner=partner, month=month),
        files=files,
        account=account,
        account_form=account_form
        or PartnerAccountForm(
            initial={
                name: getattr(account, name)
                for name in ("iban", "account_holder", "street", "house_number", "postcode", "town")
            }
            if account
            else None
        ),
    )
    status = 422 if account_form is not None else 200
    return render(request, "web/partner/statements.html", context, status=status)


@member_view
def statements(request: HttpRequest, slug: str) -> HttpResponse:
    wanted = request.GET.get("format")
    if wanted in ("csv", "pdf"):
        partner, _admin = visited_partner(request, slug)
        month = MonthForm(request.GET or None).chosen()
        return partner_statement_download(partner, month, wanted)
    return _page(request, slug)


def partner_statement_download(partner: Partner, month: date, wanted: str) -> HttpResponse:
    """The month's statements as CSV or PDF (the same figures), as an attachment."""
    found = partner_statements(partner=partner, month=month)
    if wanted == "csv":
        response = HttpResponse(
            partner_statement_csv(found), content_type="text/csv; charset=utf-8"
        )
    else:
        pdf = partner_statement_pdf(
            found,
            name=partner.name,
            iban=payout_iban("CHF"),
            language=translation.get_language() or "de",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    name = f"quartier-{partner.slug}-{month:%Y-%m}.{wanted}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _admin(request: HttpRequest, slug: str) -> Partner:
    partner, _ = visited_partner(request, slug)
    require_admin(actor_of(request), partner)
    return partner


def _back(slug: str, month: str) -> HttpResponse:
    response = redirect("web:partner_statements", slug)
    if month:
        response["Location"] += f"?month={month}"
    return response


@require_POST
@member_view
def account_save(request: HttpRequest, slug: str) -> HttpResponse:
    partner = _admin(request, slug)
    form = PartnerAccountForm(request.POST)
    if form.is_valid():
        try:
            partner_account_set(partner=partner, **form.cleaned_data)
        except QuartierError as error:
            add_to_form(form, error)
        else:
            messages.success(request, gettext("Saved."))
            return _back(slug, request.POST.get("month", ""))
    return _page(request, slug, account_form=form)


@require_POST
@member_view
def file_create(request: HttpRequest, slug: str) -> HttpResponse:
    partner = _admin(request, slug)
    month_text = request.POST.get("month", "")
    try:
        month = date.fromisoformat(f"{month_text}-01")
    except ValueError:
        raise NotFound("No such month.") from None
    try:
        result = direct_payment_file_create(actor=actor_of(request), partner=partner, month=month)
    except QuartierError as error:
        messages.error(request, friendly(error))
        return _back(slug, month_text)
    if result.file is None:
        messages.info(request, gettext("Nothing new to pay for this month."))
    else:
        messages.success(request, gettext("The payment file is ready to download."))
    if result.skipped_helpers:
        messages.warning(
            request,
            gettext(
                "%(count)s helper(s) have not completed their payout details yet; "
                "their shares follow in a later file."
            )
            % {"count": len(result.skipped_helpers)},
        )
    return _back(slug, month_text)


@member_view
def file_download(request: HttpRequest, slug: str, file_id: int) -> HttpResponse:
    partner, _ = visited_partner(request, slug)
    file = DirectPaymentFile.objects.filter(partner=partner, pk=file_id).first()
    if file is None:
        raise NotFound("No such file.")
    response = HttpResponse(file.document, content_type="application/xml")
    name = f"quartier-{partner.slug}-{file.month:%Y-%m}-{file.pk}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@member_view
def file_paid(request: HttpRequest, slug: str, file_id: int) -> HttpResponse:
    partner = _admin(request, slug)
    file = direct_payment_file_paid(actor=actor_of(request), partner=partner, file_id=file_id)
    messages.success(request, gettext("Thank you: the helpers' shares are booked as paid."))
    return _back(slug, f"{file.month:%Y-%m}")
