"""The customer edits a posted request while no offer is accepted.

Title, description, time window, budget and the street address may change; the postcode and
country may not: helpers were matched and invited for that place, so a move is a new
request (withdraw this one, post again). The change is written to the request's audit
trail with the fields that changed. Telling invited helpers and flagging offers is the
caller's (`dispatch.request_edits`), which knows invitations and offers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, field_error
from quartier.events import announce_request_changed
from quartier.households.access import acts_for

from .models import JobRequest, RequestEvent
from .selectors import get_request_for
from .services import _check_window
from .states import OPEN_FOR_OFFERS

EDITABLE = ("title", "description", "street_address", "window_start", "window_end", "budget_minor")
FIXED_PLACE = ("country", "postcode")


@dataclass(frozen=True)
class RequestEdit:
    request: JobRequest
    #: What changed, sorted: field names, "window" for either end of the time window.
    changed: list[str]
    old_window: tuple[datetime, datetime]


def _normalised(request: JobRequest, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The new values, checked; only those that differ from the request's."""
    for name in FIXED_PLACE:
        if name in changes and str(changes[name]).strip() != getattr(request, name):
            raise field_error(
                name,
                "The place cannot change after posting: helpers were invited for it. "
                "Withdraw this request and post a new one.",
                code="address_fixed",
            )
    values = {k: v for k, v in changes.items() if k in EDITABLE}
    for name in ("title", "description", "street_address"):
        if name in values:
            values[name] = str(values[name]).strip()
    if values.get("title") == "":
        raise field_error("title", "Say in a few words what you need.", code="title_missing")
    if values.get("street_address") == "":
        raise field_error(
            "street_address",
            "The street address is needed for the booked helper.",
            code="street_address_missing",
        )
    budget = values.get("budget_minor")
    if budget is not None and budget < 0:
        raise field_error("budget_minor", "The budget cannot be negative.", code="negative_budget")
    start = values.get("window_start", request.window_start)
    end = values.get("window_end", request.window_end)
    if (start, end) != (request.window_start, request.window_end):
        _check_window(start, end)
    return {k: v for k, v in values.items() if getattr(request, k) != v}


def _own_open_request(actor: User, request_id: int) -> JobRequest:
    visible = get_request_for(actor, request_id)  # NotFound for those who cannot see it
    if not acts_for(actor, visible.customer_id):
        raise Forbidden("Only the customer can change a request.", code="not_your_request")
    request = JobRequest.objects.select_for_update().get(pk=visible.pk)
    if request.state not in OPEN_FOR_OFFERS:
        raise Conflict(
            "This request can no longer be changed: an offer is accepted or it is closed.",
            code="request_not_editable",
        )
    return request


def request_edit(*, actor: User, request_id: int, changes: Mapping[str, Any]) -> RequestEdit:
    """Change the customer's open request (see the module); unchanged values are ignored."""
    with transaction.atomic():
        request = _own_open_request(actor, request_id)
        old_window = (request.window_start, request.window_end)
        values = _normalised(request, changes)
        changed = [name for name in EDITABLE if name in values]
        labels = sorted({"window" if n.startswith("window_") else n for n in changed})
        if values:
            JobRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now(), **values)
            RequestEvent.objects.create(
                request=request,
                actor=actor,
                from_state=request.state,
                to_state=request.state,
                note=f"changed: {', '.join(labels)}"[:200],
            )
            announce_request_changed(request.pk)
        request = JobRequest.objects.select_related("skill", "customer").get(pk=request.pk)
    return RequestEdit(request=request, changed=labels, old_window=old_window)
