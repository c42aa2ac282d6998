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
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.accounts.backends import login_retry_after
from quartier.accounts.claim import ResetOrClaimForm
from quartier.accounts.models import Role
from quartier.accounts.self_service import email_verified_mark
from quartier.accounts.services import api_token_revoke_own, user_register
from quartier.accounts.throttle import client_address, reset_request_wait
from quartier.errors import QuartierError
from quartier.notifications.account_mail import verification_send
from quartier.notifications.kinds import AddressKind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify_address, signup_existing_notify

from ..access import actor_of, member_view, posted
from ..labels import ROLES
from ..language import remember_language
from ..service_errors import add_to_form


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


SIGNUP_TAKEN = _(
    "Thanks! If this e-mail address has an account already, we sent it an e-mail. "
    "Log in, or set a new password if you forgot it."
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
            if error.code != "email_taken":
                add_to_form(form, error)
            else:  # the form does not say that the address has an account: its owner hears
                signup_existing_notify(email=data["email"])
                messages.info(request, str(SIGNUP_TAKEN))
                return redirect("web:login")
        else:
            verification_send(user)
            login(request, user)
            messages.success(
                request, gettext("Welcome to Quartier, %(name)s!") % {"name": user.first_name}
            )
            messages.info(
                request,
                gettext(
                    "We sent you an e-mail: open its link to confirm your address before "
                    "your first booking."
                ),
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

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None and (wait := login_retry_after(self.request)):
                raise ValidationError(_wait_message(wait), code="too_many_attempts") from None
            raise


def _wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many attempts. For your safety, please try again in %(minutes)d minute.",
        "Too many attempts. For your safety, please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _throttled(form: forms.Form) -> bool:
    return any(e.code == "too_many_attempts" for e in form.errors.as_data().get("__all__", []))


class LogIn(LoginView):
    template_name = "web/login.html"
    authentication_form = EmailAuthenticationForm
    next_page = "web:dashboard"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:  # the next page, and every one after, in the member's language
            remember_language(self.request, response, language)
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if _throttled(form):
            response.status_code = 429
        return response


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

    def form_valid(self, form: forms.Form) -> HttpResponse:
        wait = reset_request_wait(
            email=form.cleaned_data["email"], address=client_address(self.request)
        )
        if wait:
            form.add_error(None, ValidationError(_wait_message(wait), code="too_many_attempts"))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordSet(PasswordResetConfirmView):
    template_name = "web/password/reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")
    post_reset_login = True  # straight into the account, e.g. to rate the helper

    def form_valid(self, form: forms.Form) -> HttpResponse:
        response = super().form_valid(form)
        # The link reached the address: that proves it as a verification link would (an
        # account a partner's case opened is verified when its owner claims it this way).
        email_verified_mark(form.user)  # type: ignore[attr-defined]
        return response


@require_POST
@member_view
def api_token_remove(request: HttpRequest, token_id: int) -> HttpResponse:
    """The owner removes one of their apps' API tokens (listed on the start page)."""
    api_token_revoke_own(actor=actor_of(request), token_id=token_id)
    messages.success(request, gettext("The app's access is removed."))
    return redirect("web:dashboard")
