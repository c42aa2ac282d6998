"""Account settings: name, phone and language; profile photo; e-mail address (changed once
the new address confirms) and its verification; password; roles added to the account.

One page, several forms: each posts its `action`; a refused form is shown again with its
errors, the others fresh.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.accounts.models import Role, User
from quartier.accounts.self_service import photo_remove, photo_set, profile_update, role_add
from quartier.errors import QuartierError
from quartier.notifications.account_mail import (
    email_change_start,
    password_change_notify,
    verification_resend,
)

from ..access import actor_of, back_to, member_view
from ..language import remember_language
from ..service_errors import add_to_form, attempt
from .settings_forms import EmailChangeForm, PasswordChangeForm, PhotoForm, ProfileForm

Forms = dict[str, forms.Form]
Handler = Callable[[HttpRequest, User, Forms], HttpResponse | None]


def _forms(actor: User) -> Forms:
    language = actor.preferred_language
    initial = {
        "full_name": actor.full_name,
        "phone": actor.phone,
        "preferred_language": language if language in dict(settings.LANGUAGES) else "de",
    }
    return {
        "profile": ProfileForm(initial=initial),
        "password": PasswordChangeForm(),
        "email": EmailChangeForm(),
        "photo": PhotoForm(),
    }


def _bind(name: str, request: HttpRequest, forms_: Forms) -> forms.Form:
    form = type(forms_[name])(request.POST, request.FILES)
    forms_[name] = form
    return form


def _profile(request: HttpRequest, actor: User, forms_: Forms) -> HttpResponse | None:
    form = _bind("profile", request, forms_)
    if not form.is_valid():
        return None
    try:
        profile_update(actor=actor, **form.cleaned_data)
    except QuartierError as error:
        add_to_form(form, error)
        return None
    language = actor.preferred_language
    translation.activate(language)  # the page and its message in the language chosen
    messages.success(request, gettext("Your details are saved."))
    response = redirect("web:account_settings")
    remember_language(request, response, language)
    return response


def _password(request: HttpRequest, actor: User, forms_: Forms) -> HttpResponse | None:
    form = _bind("password", request, forms_)
    if not form.is_valid():
        return None
    try:
        password_change_notify(actor=actor, **form.cleaned_data)
    except QuartierError as error:
        add_to_form(form, error)
        return None
    update_session_auth_hash(request, actor)  # this browser stays logged in; others not
    messages.success(
        request,
        gettext("Your password is changed. Your other devices and apps are logged out."),
    )
    return redirect("web:account_settings")


def _email(request: HttpRequest, actor: User, forms_: Forms) -> HttpResponse | None:
    form = _bind("email", request, forms_)
    if not form.is_valid():
        return None
    try:
        email = email_change_start(
            actor=actor,
            password=form.cleaned_data["password"],
            new_email=form.cleaned_data["new_email"],
        )
    except QuartierError as error:
        add_to_form(form, error)
        return None
    messages.info(
        request,
        gettext(
            "We sent a link to %(email)s. Open it within 24 hours to use that address; "
            "until then your address stays as it is."
        )
        % {"email": email},
    )
    return redirect("web:account_settings")


def _photo(request: HttpRequest, actor: User, forms_: Forms) -> HttpResponse | None:
    form = _bind("photo", request, forms_)
    if not form.is_valid():
        return None
    try:
        photo_set(actor=actor, upload=form.cleaned_data["photo"])
    except QuartierError as error:
        add_to_form(form, error, {"photo.0": "photo"})
        return None
    messages.success(request, gettext("Your photo is saved."))
    return redirect("web:account_settings")


def _photo_remove(request: HttpRequest, actor: User, forms_: Forms) -> HttpResponse | None:
    photo_remove(actor=actor)
    messages.success(request, gettext("Your photo is removed."))
    return redirect("web:account_settings")


def _role(request: HttpRequest, actor: User, forms_: Forms) -> HttpResponse | None:
    role = request.POST.get("role", "")
    if not attempt(
        request,
        lambda: role_add(actor=actor, role=role),
        gettext("Welcome as a helper! Now tell us where and how you help."),
    ):
        return redirect("web:account_settings")
    if role == Role.PRO:
        messages.info(request, gettext("Add your company data under “Company” afterwards."))
    return redirect("web:helper_onboarding")  # the onboarding of a helper's sign-up


HANDLERS: dict[str, Handler] = {
    "profile": _profile,
    "password": _password,
    "email": _email,
    "photo": _photo,
    "photo_remove": _photo_remove,
    "role": _role,
}


@member_view
def account_settings(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    forms_ = _forms(actor)
    status = 200
    if request.method == "POST":
        handler = HANDLERS.get(request.POST.get("action", ""))
        if handler is not None:
            answer = handler(request, actor, forms_)
            if answer is not None:
                return answer
            status = 422
    return render(
        request,
        "web/account/settings.html",
        {
            **forms_,
            "member": actor,
            "may_add_helper": not actor.is_helper and not actor.is_staff,
            "may_add_pro": not actor.is_pro and not actor.is_staff,
        },
        status=status,
    )


@require_POST
@member_view
def verification_resend_post(request: HttpRequest) -> HttpResponse:
    """Another verification link (from the settings, or from a checkout that refused)."""
    attempt(
        request,
        lambda: verification_resend(actor=actor_of(request)),
        gettext("We sent you a new link. Open it to confirm your e-mail address."),
    )
    return back_to(request, "web:account_settings")
