"""The page behind the e-mailed link where an account's owner adds a partner's case to it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quartier.accounts.claim import password_link_args
from quartier.errors import NotFound
from quartier.partners.facade import case_contact_confirm as confirm
from quartier.partners.facade import cases_for_token


@require_http_methods(["GET", "POST"])
def case_contact_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what would join the account; only the button (POST) binds it, so a mail
    scanner that opens the link changes nothing."""
    try:
        contact, cases = cases_for_token(token)
        if request.method == "POST":
            owner, _cases = confirm(token=token)
    except NotFound:
        raise Http404 from None
    if request.method == "GET":
        return render(
            request,
            "web/requests/contact_confirm.html",
            {"contact": contact, "cases": cases},
        )
    messages.success(request, _("The case is now in your account."))
    if request.user.is_authenticated and request.user.pk == owner.pk:
        return redirect("web:dashboard")
    if not owner.has_usable_password():  # whoever reads the e-mail may set one
        return redirect("web:password_reset_confirm", *password_link_args(owner))
    return redirect(reverse("web:login") + "?next=" + reverse("web:dashboard"))
