"""The customer changes an open request, and the helpers involved hear what changed.

`jobs.edits.request_edit` writes the change and its audit row; here, in the same
transaction, every helper still invited (open or accepted invitations) and every helper
with an open offer is told what changed. An open offer whose time no longer lies in the new
window is flagged, not withdrawn: the helper made a quote in good faith and may simply move
the time (change the offer in one step); withdrawing it for them would lose their quote
and surprise them. The customer sees the flag next to the offer. A change of the street
address alone tells nobody: no helper sees it before the booking. A job offered on fixed
terms (a partner's case) is the partner's to change, not the customer's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from quartier.accounts.models import User
from quartier.bookings.models import Offer, OfferStatus
from quartier.errors import Conflict
from quartier.jobs.edits import RequestEdit, request_edit
from quartier.jobs.models import JobRequest
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import Invitation
from .selectors import is_fixed_price
from .states import InvitationStatus

#: Changes helpers can see (the street address is only for the booked helper).
TOLD = frozenset({"title", "description", "window", "budget_minor"})


def request_change(*, actor: User, request_id: int, changes: Mapping[str, Any]) -> RequestEdit:
    """Edit the customer's open request and tell the helpers involved (see the module)."""
    with transaction.atomic():
        edit = request_edit(actor=actor, request_id=request_id, changes=changes)
        if is_fixed_price(request_id=request_id):  # after the access check; rolls back
            raise Conflict(
                "This job is offered on fixed terms (a partner's case): the partner changes it.",
                code="fixed_terms",
            )
        if TOLD & set(edit.changed):
            _tell_helpers(edit)
    return edit


def helpers_to_tell(request_id: int) -> set[int]:
    """Helpers still invited, and helpers with an open offer on the request."""
    invited = Invitation.objects.filter(
        dispatch__request_id=request_id,
        status__in=[InvitationStatus.OPEN, InvitationStatus.ACCEPTED],
    ).values_list("helper_id", flat=True)
    offering = Offer.objects.filter(request_id=request_id, status=OfferStatus.PENDING).values_list(
        "helper_id", flat=True
    )
    return set(invited) | set(offering)


def _tell_helpers(edit: RequestEdit) -> None:
    job: JobRequest = edit.request
    outside = set(
        Offer.objects.filter(request=job, status=OfferStatus.PENDING)
        .exclude(proposed_start__gte=job.window_start, proposed_end__lte=job.window_end)
        .values_list("helper_id", flat=True)
    )
    context = {
        "edited": True,
        "title": job.title,
        "locality": job.locality,
        "window_start": job.window_start,
        "window_end": job.window_end,
        "changed": [name for name in edit.changed if name in TOLD],
    }
    link = Link(Page.HELPER_REQUEST, (job.pk,))
    for helper in User.objects.filter(pk__in=helpers_to_tell(job.pk)).order_by("pk"):
        values = context | {"offer_outside": helper.pk in outside}
        notify(user=helper, kind=Kind.INVITATION, context=values, link=link)
