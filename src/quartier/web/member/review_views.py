"""Answering and reporting a published review, from the booking page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from quartier.errors import QuartierError
from quartier.reviews.services import review_reply, review_report

from ..access import actor_of, member_view, posted
from ..service_errors import friendly
from .forms import ReviewReplyForm, ReviewReportForm


@require_POST
@member_view
def review_reply_new(request: HttpRequest, booking_id: int, review_id: int) -> HttpResponse:
    form = ReviewReplyForm(posted(request))
    if not form.is_valid():
        messages.error(request, gettext("Write your reply."))
    else:
        try:
            review_reply(
                actor=actor_of(request), review_id=review_id, text=form.cleaned_data["text"]
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            messages.error(request, friendly(error))
        else:
            messages.success(request, gettext("Your reply is published."))
    return redirect("web:booking_detail", booking_id)


@require_POST
@member_view
def review_report_new(request: HttpRequest, booking_id: int, review_id: int) -> HttpResponse:
    form = ReviewReportForm(posted(request))
    if not form.is_valid():
        messages.error(request, gettext("Say briefly what is wrong with this review."))
    else:
        try:
            review_report(
                actor=actor_of(request), review_id=review_id, reason=form.cleaned_data["reason"]
            )
        except QuartierError as error:
            if error.status == 404:
                raise
            messages.error(request, friendly(error))
        else:
            messages.success(request, gettext("Thank you. Our team will look at this review."))
    return redirect("web:booking_detail", booking_id)
