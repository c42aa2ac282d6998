"""What the customer's and the helpers' pages show of a request for several helpers or
visits: the places (who is booked for which helper's place or visit) and the shared
conversation. Shared by both audiences (the form posts to member/team_views)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.bookings.states import BookingState
from quartier.errors import NotFound
from quartier.households.access import acts_for
from quartier.jobs.models import JobRequest
from quartier.jobs.multi import booked_helper_ids
from quartier.messaging.team import team_thread_for


class TeamMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to everyone on this job"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def team_context(actor: User, job: JobRequest) -> dict[str, Any]:
    """What the pages show of a multi request (nothing for a one-helper request)."""
    if not job.is_multi:
        return {}
    places = list(
        Booking.objects.filter(request=job)
        .exclude(state=BookingState.CANCELLED)
        .select_related("helper")
        .order_by("slot")
    )
    customer_side = acts_for(actor, job.customer_id)  # the customer or their delegate
    if not customer_side:  # a helper sees who else is booked, not their prices
        places = [p for p in places if p.helper_id == actor.pk]
    members = User.objects.filter(pk__in=booked_helper_ids(job)).order_by("full_name")
    try:
        thread = team_thread_for(actor, request_id=job.pk)
    except NotFound:  # not (or no longer) booked on it
        thread = None
    return {
        "team": {
            "slots": job.slots,
            "visits": list(job.visits.all()) if job.visit_count else [],
            "booked": len(places) if customer_side else None,
            "places": places,
            "members": list(members),
            "thread": thread,
            "form": TeamMessageForm() if thread is not None else None,
            "can_cancel_all": customer_side
            and bool(places)
            and job.state in ("requested", "offered", "booked")
            and all(p.state == BookingState.BOOKED for p in places),
        }
    }
