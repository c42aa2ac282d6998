"""Reads of requests, always scoped to the actor asking.

A helper sees a request's locality and an approximate distance while it is open and they
could serve it; the postcode, the street address and the customer's phone only once they
are booked. Until then phone numbers and e-mail addresses in the description are masked,
as in chat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from quartier.accounts.models import User
from quartier.errors import NotFound
from quartier.geo.distance import approximate_km, haversine_km
from quartier.households.access import acts_for, customer_ids_for

from .coverage import helper_can_serve
from .masking import mask_contact_details
from .models import JobRequest, Participant
from .multi import booked_helper_ids, helper_is_booked


def _base() -> QuerySet[JobRequest]:
    return JobRequest.objects.select_related(
        "skill", "customer", "pending_contact", "booked_helper"
    )


def request_list_for_customer(*, actor: User) -> QuerySet[JobRequest]:
    """The actor's requests and those of the household members they act for."""
    return _base().filter(customer_id__in=customer_ids_for(actor))


def _helper_may_see(actor: User, request: JobRequest) -> bool:
    if request.booked_helper_id == actor.pk:
        return True
    if Participant.objects.filter(request=request, helper=actor).exists():
        return True
    return request.booked_helper_id is None and helper_can_serve(helper=actor, request=request)


def get_request_for(actor: User, request_id: int, *, people: bool = True) -> JobRequest:
    """The request if `actor` may see it, else NotFound (never Forbidden: no enumeration).
    `people=False`: without its customer, contact and booked helper read along (the skill
    is), for callers that show none of them (the matches)."""
    rows = _base() if people else JobRequest.objects.select_related("skill")
    # Sliced, not .first(): no ORDER BY for a primary key, which spares the ORM comparing
    # the joined tables' columns with the ordering on every call.
    request = next(iter(rows.filter(pk=request_id)[:1]), None)
    if request is None or not actor.is_authenticated:
        raise NotFound("No such request.")
    if acts_for(actor, request.customer_id) or actor.is_staff:
        return request
    if actor.is_helper and _helper_may_see(actor, request):
        return request
    raise NotFound("No such request.")


@dataclass(frozen=True)
class VisitView:
    """One visit of a multi-day request."""

    number: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class RequestView:
    """A request as one actor may see it."""

    id: int
    state: str
    skill: str
    title: str
    description: str
    country: str
    postcode: str | None
    locality: str
    window_start: datetime
    window_end: datetime
    budget_minor: int | None
    currency: str
    created_at: datetime
    is_own: bool
    street_address: str | None
    customer_name: str
    customer_phone: str | None
    approx_distance_km: float | None
    booked_helper_id: int | None
    urgent: bool = False
    helpers_needed: int = 1
    visits: list[VisitView] = field(default_factory=list)
    booked_helper_ids: list[int] = field(default_factory=list)


def request_view(actor: User, request: JobRequest) -> RequestView:
    is_own = acts_for(actor, request.customer_id)
    sees_contact = is_own or actor.is_staff or helper_is_booked(request, actor.pk)
    distance = None
    if not is_own and hasattr(actor, "helper_profile"):
        profile = actor.helper_profile
        distance = approximate_km(
            haversine_km(profile.latitude, profile.longitude, request.latitude, request.longitude)
        )
    # A partner's case not yet confirmed by its account's owner shows the contact the
    # partner gave, never the account's own name or phone.
    customer = request.contact
    return RequestView(
        id=request.pk,
        state=request.state,
        skill=request.skill.slug,
        title=request.title,
        description=request.description
        if sees_contact
        else mask_contact_details(request.description)[0],
        country=request.country,
        postcode=request.postcode if sees_contact else None,
        locality=request.locality,
        window_start=request.window_start,
        window_end=request.window_end,
        budget_minor=request.budget_minor,
        currency=request.currency,
        created_at=request.created_at,
        is_own=is_own,
        street_address=request.street_address if sees_contact else None,
        customer_name=customer.full_name if sees_contact else customer.first_name,
        customer_phone=(customer.phone or None) if sees_contact else None,
        approx_distance_km=distance,
        booked_helper_id=request.booked_helper_id,
        urgent=request.urgent,
        **_slots_view(request),
    )


def _slots_view(request: JobRequest) -> dict[str, Any]:
    """A multi request's helpers and visits (nothing to read for a one-helper request)."""
    if not request.is_multi:
        return {"booked_helper_ids": booked_helper_ids(request)}
    return {
        "helpers_needed": request.helpers_needed,
        "visits": [VisitView(v.number, v.starts_at, v.ends_at) for v in request.visits.all()],
        "booked_helper_ids": booked_helper_ids(request),
    }
