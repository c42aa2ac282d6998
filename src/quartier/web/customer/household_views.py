"""The household page: whom I let act for me (invite, revoke), whom I act for, invitations
to me (accept, decline), and everything delegates did."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.errors import QuartierError
from quartier.households.selectors import (
    delegate_acts_for,
    delegations_given,
    delegations_held,
    invitations_for,
)
from quartier.households.services import (
    delegation_accept,
    delegation_decline,
    delegation_invite,
    delegation_revoke,
)

from ..access import actor_of, member_view, posted
from ..service_errors import add_to_form

#: What a delegate's act is called on the page.
ACT_LABELS = {
    "request.post": _("posted the request"),
    "booking.book": _("booked"),
    "booking.payment": _("changed how to pay"),
    "booking.sign_off": _("signed off the visit"),
    "change.approve": _("approved a change during the visit"),
    "change.reject": _("rejected a change during the visit"),
    "invoice.paid": _("reported the invoice paid"),
}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of their Quartier account"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


@member_view
def household(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            delegation_invite(actor=actor, email=form.cleaned_data["email"])
        except QuartierError as error:
            add_to_form(form, error, {})
        else:
            messages.success(request, gettext("The invitation is sent."))
            return redirect("web:household")
    acts = [(act, ACT_LABELS.get(act.action, act.action)) for act in delegate_acts_for(actor=actor)]
    return render(
        request,
        "web/account/household.html",
        {
            "form": form,
            "given": [d for d in delegations_given(actor=actor) if d.revoked_at is None],
            "held": delegations_held(actor=actor),
            "invitations": invitations_for(actor=actor),
            "acts": acts,
        },
    )


@require_POST
@member_view
def delegation_answer(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """Accept or decline an invitation to act for someone."""
    actor = actor_of(request)
    if request.POST.get("answer") == "accept":
        delegation = delegation_accept(actor=actor, delegation_id=delegation_id)
        messages.success(
            request,
            gettext("You now act for %(name)s.") % {"name": delegation.member.full_name},
        )
    else:
        delegation_decline(actor=actor, delegation_id=delegation_id)
        messages.success(request, gettext("The invitation is declined."))
    return redirect("web:household")


@require_POST
@member_view
def delegation_end(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """The member revokes a delegate or an invitation; a delegate steps down."""
    delegation_revoke(actor=actor_of(request), delegation_id=delegation_id)
    messages.success(request, gettext("Done: they can no longer act for you."))
    return redirect("web:household")
