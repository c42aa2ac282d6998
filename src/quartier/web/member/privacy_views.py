"""A member's own data: download it all, delete the account (after a grace period), or
change one's mind."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from quartier.errors import QuartierError
from quartier.privacy.export import export_download
from quartier.privacy.services import (
    deletion_cancel,
    deletion_request,
    grace_days,
    pending_deletion,
)

from ..access import actor_of, member_view, posted
from ..service_errors import add_to_form


class DeletionForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@member_view
def my_data(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = DeletionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            deletion = deletion_request(actor=actor, password=form.cleaned_data["password"])
        except QuartierError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                gettext("Your account will be deleted on %(day)s. We sent you an e-mail.")
                % {"day": timezone.localdate(deletion.due_at).strftime("%d.%m.%Y")},
            )
            return redirect("web:my_data")
    return render(
        request,
        "web/account/data.html",
        {"form": form, "deletion": pending_deletion(actor.pk), "grace_days": grace_days()},
    )


@require_GET
@member_view
def my_data_export(request: HttpRequest) -> HttpResponse:
    return export_download(actor_of(request).pk)


@require_POST
@member_view
def my_data_keep(request: HttpRequest) -> HttpResponse:
    deletion_cancel(actor=actor_of(request))
    messages.success(request, gettext("Your account stays. Nothing will be deleted."))
    return redirect("web:my_data")
