"""Recurring series for both sides: "Repeat this" from a booking (weekly, every two weeks,
monthly), the series page listing its dates with skip / move, agreeing and ending
(quartier.series)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from quartier.accounts.models import User
from quartier.bookings.selectors import get_booking_for
from quartier.errors import QuartierError
from quartier.series.models import Frequency, Series, SeriesState
from quartier.series.selectors import (
    get_series_for,
    may_answer,
    occurrence_views,
    on_customer_side,
    series_list_for,
)
from quartier.series.services import (
    occurrence_move,
    occurrence_skip,
    series_accept,
    series_decline,
    series_end,
    series_propose,
)

from ..access import actor_of, member_view, posted
from ..fields import local_datetime_field
from ..service_errors import add_to_form, attempt

#: Words for the series' own field errors, by code.
WORDS = {
    "first_start_past": gettext_lazy("The first date must be in the future."),
    "first_start_far": gettext_lazy("The first date must be within a year."),
    "bad_duration": gettext_lazy("A visit lasts 15 minutes to 12 hours."),
    "until_before_start": gettext_lazy("The series must end after its first date."),
    "series_exists": gettext_lazy("This booking already repeats."),
    "starts_at_past": gettext_lazy("Choose a time in the future."),
}
#: Why a date is not booked, as the series page says it.
REASONS = {
    "helper_unavailable": gettext_lazy("The helper is away or does not work then."),
    "helper_double_booked": gettext_lazy("The helper is already booked then."),
    "skipped_by_customer": gettext_lazy("Skipped by the customer."),
    "skipped_by_helper": gettext_lazy("Skipped by the helper."),
    "series_ended": gettext_lazy("The series ended."),
}


class SeriesForm(forms.Form):
    frequency = forms.ChoiceField(label=gettext_lazy("How often"), choices=Frequency.choices)
    first_start = local_datetime_field(gettext_lazy("First visit"))
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"), min_value=15, max_value=720
    )
    until = forms.DateField(
        label=gettext_lazy("Until (empty: no end date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MoveForm(forms.Form):
    starts_at = local_datetime_field(gettext_lazy("New time"))


def _show_error(form: forms.Form, error: QuartierError) -> None:
    words = WORDS.get(error.code) or next(
        (WORDS[c] for c in error.field_codes.values() if c in WORDS), None
    )
    field = next(iter(error.errors), None) if error.errors else None
    if words is not None:
        form.add_error(field if field in form.fields else None, str(words))
    else:
        add_to_form(form, error)


@member_view
def series_new(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Repeat this booking: either side proposes, the other agrees on the series page."""
    actor = actor_of(request)
    booking = get_booking_for(actor, booking_id)
    length = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
    start = timezone.localtime(booking.starts_at) + timedelta(days=7)
    initial = {"frequency": Frequency.WEEKLY, "first_start": start, "duration_minutes": length}
    form = SeriesForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            series = series_propose(actor=actor, booking_id=booking.pk, **form.cleaned_data)
        except QuartierError as error:
            if error.status == 404:
                raise
            _show_error(form, error)
        else:
            return redirect("web:series_detail", series.pk)
    return render(
        request,
        "web/series/new.html",
        {"booking": booking, "form": form},
        status=422 if form.errors else 200,
    )


@member_view
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    actor = actor_of(request)
    series = get_series_for(actor, series_id)
    return render(request, "web/series/detail.html", _context(actor, series))


def _move_form(occurrence_id: int, data: QueryDict | None = None) -> MoveForm:
    """One form per date, each with its own field ids."""
    return MoveForm(data, prefix=f"date-{occurrence_id}")


def _context(actor: User, series: Series, bad: MoveForm | None = None) -> dict[str, object]:
    now = timezone.now()
    views = occurrence_views(series)
    return {
        "series": series,
        "is_customer": on_customer_side(actor, series),
        "may_answer": may_answer(actor, series),
        "may_end": series.state in (SeriesState.PROPOSED, SeriesState.ACTIVE),
        "rows": [
            {
                "view": view,
                "reason": REASONS.get(view.occurrence.reason, view.occurrence.reason),
                "move_form": bad
                if bad is not None and bad.prefix == f"date-{view.occurrence.pk}"
                else _move_form(view.occurrence.pk),
                "open": series.state == SeriesState.ACTIVE
                and view.occurrence.state in ("booked", "needs_time")
                and view.starts_at > now,
            }
            for view in views
        ],
    }


@member_view
def series_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "web/series/list.html", {"series_list": series_list_for(actor=actor)})


def _step(
    request: HttpRequest, series_id: int, action: Callable[[], object], done: str
) -> HttpResponse:
    attempt(request, action, done)
    return redirect("web:series_detail", series_id)


@require_POST
@member_view
def accept(request: HttpRequest, series_id: int) -> HttpResponse:
    action = partial(series_accept, actor=actor_of(request), series_id=series_id)
    return _step(request, series_id, action, gettext("Agreed: the next dates are booked."))


@require_POST
@member_view
def decline(request: HttpRequest, series_id: int) -> HttpResponse:
    action = partial(series_decline, actor=actor_of(request), series_id=series_id)
    return _step(request, series_id, action, gettext("The series was declined."))


@require_POST
@member_view
def end(request: HttpRequest, series_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:200]
    action = partial(series_end, actor=actor_of(request), series_id=series_id, reason=reason)
    return _step(
        request, series_id, action, gettext("The series has ended; future dates are cancelled.")
    )


@require_POST
@member_view
def skip(request: HttpRequest, series_id: int, occurrence_id: int) -> HttpResponse:
    action = partial(
        occurrence_skip, actor=actor_of(request), series_id=series_id, occurrence_id=occurrence_id
    )
    return _step(request, series_id, action, gettext("This date is skipped."))


@require_POST
@member_view
def move(request: HttpRequest, series_id: int, occurrence_id: int) -> HttpResponse:
    actor = actor_of(request)
    form = _move_form(occurrence_id, request.POST)
    if form.is_valid() and form.cleaned_data["starts_at"] <= timezone.now():
        form.add_error("starts_at", str(WORDS["starts_at_past"]))
    if form.is_valid():
        action = partial(
            occurrence_move,
            actor=actor,
            series_id=series_id,
            occurrence_id=occurrence_id,
            starts_at=form.cleaned_data["starts_at"],
        )
        return _step(request, series_id, action, gettext("The new time is set or proposed."))
    series = get_series_for(actor, series_id)
    return render(request, "web/series/detail.html", _context(actor, series, form), status=422)
