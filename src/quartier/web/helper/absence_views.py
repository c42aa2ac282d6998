"""A helper's absences (holidays, a busy week): whole days in local time, added or removed.

Matching and dispatch skip a helper during an absence, whatever the weekly hours say.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from quartier.bookings.availability import (
    availability_exception_add,
    availability_exception_remove,
    availability_for,
)
from quartier.errors import QuartierError

from ..access import actor_of, posted, role_view
from ..service_errors import add_to_form

helper_view = role_view("helper")
DAY = timedelta(days=1)


class AbsenceForm(forms.Form):
    first_day = forms.DateField(label=_("First day away"), widget=forms.DateInput({"type": "date"}))
    last_day = forms.DateField(label=_("Last day away"), widget=forms.DateInput({"type": "date"}))
    reason = forms.CharField(
        label=_("Note for yourself (optional)"), required=False, max_length=200
    )

    def clean(self) -> dict[str, object] | None:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if isinstance(first, date) and isinstance(last, date) and last < first:
            self.add_error("last_day", _("The last day cannot be before the first."))
        return data


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _local_day(moment: datetime) -> date:
    """The local date of `moment`; the last date there is for a moment past it (an absence
    stored before the two-year horizon existed may end in year 9999)."""
    try:
        return timezone.localtime(moment).date()
    except OverflowError:
        return date.max


@helper_view
def absences(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = AbsenceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            availability_exception_add(
                actor=actor,
                starts_at=_local_midnight(data["first_day"]),
                ends_at=_local_midnight(min(data["last_day"], date.max - DAY) + DAY),
                reason=data["reason"],
            )
        except QuartierError as error:
            add_to_form(form, error, {"starts_at": "first_day", "ends_at": "last_day"})
        else:
            messages.success(request, gettext("Saved. You get no invitations on those days."))
            return redirect("web:helper_absences")
    upcoming = [  # (absence, first day, last day) in local dates
        (
            absence,
            _local_day(absence.starts_at),
            _local_day(absence.ends_at - timedelta(microseconds=1)),
        )
        for absence in availability_for(actor=actor).upcoming_exceptions
    ]
    return render(request, "web/helper/absences.html", {"form": form, "upcoming": upcoming})


@require_POST
@helper_view
def absence_remove(request: HttpRequest, absence_id: int) -> HttpResponse:
    availability_exception_remove(actor=actor_of(request), exception_id=absence_id)
    messages.success(request, gettext("The absence is removed."))
    return redirect("web:helper_absences")
