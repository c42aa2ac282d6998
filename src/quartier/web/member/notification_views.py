"""The in-app notification inbox and the choice of what also comes by e-mail."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.notifications.kinds import OPTIONAL_EMAIL
from quartier.notifications.selectors import email_kinds_for, notifications_for
from quartier.notifications.services import email_preferences_set, notifications_mark_read

from ..access import actor_of, member_view, posted


class EmailPreferencesForm(forms.Form):
    by_email = forms.MultipleChoiceField(
        label=_("Also send me an e-mail for"),
        choices=OPTIONAL_EMAIL,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Everything always appears here in your notifications."),
    )


@member_view
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = EmailPreferencesForm(
        posted(request), initial={"by_email": sorted(email_kinds_for(actor))}
    )
    if request.method == "POST" and form.is_valid():
        email_preferences_set(actor=actor, by_email=form.cleaned_data["by_email"])
        messages.success(request, gettext("Saved. Your e-mail choices apply from now on."))
        return redirect("web:notifications")
    return render(
        request,
        "web/notifications.html",
        {"notifications": notifications_for(actor)[:100], "form": form},
    )


@require_POST
@member_view
def mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(actor=actor_of(request))
    return redirect("web:notifications")
