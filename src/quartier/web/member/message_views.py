"""Conversations between a customer and a helper about a request, and reporting a message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.errors import QuartierError
from quartier.messaging.selectors import conversations_for, thread_for
from quartier.messaging.services import abuse_report, message_send

from ..access import actor_of, back_to, member_view, posted
from ..service_errors import add_to_form, friendly


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Phone numbers and e-mail addresses are hidden until the booking."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this message?"), max_length=500)


@member_view
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "web/messages/inbox.html",
        {"conversations": conversations_for(actor)[:100], "actor": actor},
    )


@member_view
def conversation(request: HttpRequest, request_id: int, helper_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = MessageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            message_send(
                actor=actor,
                request_id=request_id,
                helper_id=helper_id,
                body=form.cleaned_data["body"],
            )
        except QuartierError as error:
            add_to_form(form, error)
        else:
            if request.headers.get("HX-Request"):
                return _messages(request, request_id, helper_id)
            return redirect("web:conversation", request_id, helper_id)
    thread = thread_for(actor, request_id=request_id, helper_id=helper_id)
    return render(
        request,
        "web/messages/thread.html",
        {"thread": thread, "form": form, "actor": actor},
    )


@member_view
def conversation_messages(request: HttpRequest, request_id: int, helper_id: int) -> HttpResponse:
    """The message list alone, polled by htmx every few seconds."""
    return _messages(request, request_id, helper_id)


def _messages(request: HttpRequest, request_id: int, helper_id: int) -> HttpResponse:
    actor = actor_of(request)
    thread = thread_for(actor, request_id=request_id, helper_id=helper_id)
    return render(
        request,
        "web/messages/_list.html",
        {"thread": thread, "actor": actor},
    )


@require_POST
@member_view
def message_report(request: HttpRequest, message_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Say briefly what is wrong with this message."))
        return back_to(request, "web:messages")
    try:
        abuse_report(actor=actor, message_id=message_id, reason=form.cleaned_data["reason"])
    except QuartierError as error:
        messages.error(request, friendly(error))
    else:
        messages.success(request, gettext("Thank you. Our team will look at this message."))
    return back_to(request, "web:messages")
