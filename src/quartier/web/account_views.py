"""Signing up, logging in and out (e-mail and password; Django's auth views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from quartier.accounts.claim import ResetOrClaimForm
from quartier.accounts.models import Role
from quartier.accounts.services import user_register
from quartier.errors import QuartierError
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address

from .access import posted
from .labels import ROLES
from .service_errors import add_to_form


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=32,
        help_text=_("Shown only to the helper you book, or the customer who booked you."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters; a few words you remember are best."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("What brings you here?"),
        choices=ROLES,
        initial=["customer"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )


def signup(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "customer")
    form = SignupForm(posted(request), initial={"roles": [role]} if role in Role.values else {})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                roles=data["roles"],
                phone=data["phone"],
                preferred_language=get_language() or "de",
            )
        except QuartierError as error:
            add_to_form(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, gettext("Welcome to Quartier, %(name)s!") % {"name": user.first_name}
            )
            if user.is_helper:
                return redirect("web:helper_onboarding")
            return redirect("web:request_new")
    return render(request, "web/signup.html", {"form": form})


class EmailAuthenticationForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail")
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})


class LogIn(LoginView):
    template_name = "web/login.html"
    authentication_form = EmailAuthenticationForm
    next_page = "web:dashboard"
    redirect_authenticated_user = True


class LogOut(LogoutView):
    next_page = "web:home"


class ResetByNotificationsForm(ResetOrClaimForm):
    """The reset link goes out like every e-mail: through notifications, in the account's
    language, after commit."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        notify_address(
            email=to_email,
            language=context["user"].preferred_language or "de",
            kind=AddressKind.PASSWORD_RESET,
            context={},
            link=Link(Page.PASSWORD_SET, (context["uid"], context["token"])),
        )


class PasswordReset(PasswordResetView):
    """ "Forgot your password?", also for accounts a partner's case opened without one."""

    form_class = ResetByNotificationsForm
    template_name = "web/password/reset.html"
    success_url = reverse_lazy("web:password_reset_done")


class PasswordSet(PasswordResetConfirmView):
    template_name = "web/password/reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")
    post_reset_login = True  # straight into the account, e.g. to rate the helper
