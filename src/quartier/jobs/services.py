"""Writes for requests: posting, cancelling, and the one state-transition primitive."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NotRequired, TypedDict

from django.db import transaction
from django.utils import timezone

from quartier.accounts.models import PendingContact, User
from quartier.audit.services import record_operator_action
from quartier.catalog.selectors import skill_get_by_slug
from quartier.errors import Conflict, Forbidden, field_error
from quartier.events import announce_request_changed, record_event
from quartier.geo.geocoding import CURRENCY_BY_COUNTRY, locate_postcode
from quartier.households.access import acts_for
from quartier.households.services import record_delegate_act

from .models import JobRequest, Participant, RequestEvent
from .multi import VisitWindow, slots_check, visits_save, visits_span
from .states import OPEN_FOR_OFFERS, RequestState, can_move

MAX_WINDOW = timedelta(days=60)
MAX_ADVANCE = timedelta(days=365)


class RequestFields(TypedDict):
    """What someone asks for, as `request_create` takes it (and services above pass on)."""

    skill: str
    title: str
    description: str
    country: str
    postcode: str
    street_address: str
    window_start: datetime
    window_end: datetime
    budget_minor: NotRequired[int | None]
    urgent: NotRequired[bool]
    helpers_needed: NotRequired[int]
    visits: NotRequired[list[VisitWindow]]
    for_customer_id: NotRequired[int | None]  # a household member the actor acts for
    by_phone: NotRequired[str]  # an operator posts for the customer who called: the note


def _check_window(window_start: datetime, window_end: datetime) -> None:
    """A request's time window: in order, not over yet, at most 60 days, within a year."""
    now = timezone.now()
    if window_end <= window_start:
        raise field_error(
            "window_end", "The time window must end after it starts.", code="window_reversed"
        )
    if window_end <= now:
        raise field_error(
            "window_end", "The time window must end in the future.", code="window_past"
        )
    if window_end - window_start > MAX_WINDOW:
        raise field_error(
            "window_end", "The time window may span at most 60 days.", code="window_too_long"
        )
    if window_start - now > MAX_ADVANCE:
        raise field_error(
            "window_start",
            "Requests can be posted at most a year ahead.",
            code="window_too_far_ahead",
        )


def _check_fields(title: str, street_address: str, budget_minor: int | None) -> None:
    if budget_minor is not None and budget_minor < 0:
        raise field_error("budget_minor", "The budget cannot be negative.", code="negative_budget")
    if not title.strip():
        raise field_error("title", "Say in a few words what you need.", code="title_missing")
    if not street_address.strip():
        raise field_error(
            "street_address",
            "The street address is needed for the booked helper.",
            code="street_address_missing",
        )


def _customer_for(
    actor: User | None,
    pending_contact: PendingContact | None,
    for_customer_id: int | None,
    by_phone: str = "",
) -> User | None:
    """Whose request it is: the actor's own, that of a household member they act for
    (posted by their delegate: address, contract and invoice in the member's name; the
    delegate's act is recorded), or the caller's an operator posts it for (`by_phone`)."""
    if (actor is None) == (pending_contact is None):
        raise ValueError("a request is posted by a customer or for a pending contact")
    if actor is not None and actor.is_staff and by_phone.strip():
        callers = User.objects.filter(is_active=True, is_customer=True)
        caller = callers.filter(pk=for_customer_id).first() if for_customer_id else None
        if caller is None:
            raise field_error(
                "for_customer_id", "Choose the customer who called.", code="no_such_customer"
            )
        return caller
    if actor is None or for_customer_id is None or for_customer_id == actor.pk:
        if actor is not None and not actor.is_customer:
            raise Forbidden("Only customers can post requests.", code="not_a_customer")
        return actor
    member = User.objects.filter(pk=for_customer_id, is_active=True).first()
    if member is None or not acts_for(actor, member.pk):
        raise field_error(
            "for_customer_id", "You do not act for this person.", code="not_a_delegate"
        )
    return member


def request_create(
    *,
    actor: User | None,
    skill: str,
    title: str,
    description: str,
    country: str,
    postcode: str,
    street_address: str,
    window_start: datetime,
    window_end: datetime,
    budget_minor: int | None = None,
    pending_contact: PendingContact | None = None,
    urgent: bool = False,
    helpers_needed: int = 1,
    visits: list[VisitWindow] | None = None,
    for_customer_id: int | None = None,
    by_phone: str = "",
) -> JobRequest:
    """Write a request (posting it is `dispatch.posting.request_post`), for `helpers_needed`
    helpers or `visits` (jobs.multi); the postcode geocoded, the window in the future. A
    partner's case for an account's address: `actor=None` and the `pending_contact`.
    `for_customer_id`: a household member the actor acts for, or with `by_phone` (the
    call's note, for the audit) the customer an operator posts for."""
    customer = _customer_for(actor, pending_contact, for_customer_id, by_phone)
    skill_obj = skill_get_by_slug(skill)
    _check_fields(title, street_address, budget_minor)
    visits = visits or []
    slots_check(helpers_needed, visits)
    if visits:
        window_start, window_end = visits_span(visits)
    _check_window(window_start, window_end)
    location = locate_postcode(country, postcode)
    with transaction.atomic():
        request = JobRequest.objects.create(
            customer=customer,
            pending_contact=pending_contact,
            skill=skill_obj,
            title=title.strip(),
            description=description.strip(),
            street_address=street_address.strip(),
            country=location.country,
            postcode=location.postcode,
            locality=location.locality,
            latitude=location.latitude,
            longitude=location.longitude,
            h3_cell=location.h3_cell,
            window_start=window_start,
            window_end=window_end,
            budget_minor=budget_minor,
            urgent=urgent,
            currency=CURRENCY_BY_COUNTRY[location.country],
            helpers_needed=helpers_needed,
            visit_count=len(visits),
        )
        visits_save(request, visits)
        _record_posting(actor, request, by_phone)
    return request


def _record_posting(actor: User | None, request: JobRequest, by_phone: str) -> None:
    """The request's first event names who posted; a delegate's post is also the member's
    household record, an operator's the audit's."""
    RequestEvent.objects.create(
        request=request, actor=actor, from_state="", to_state=RequestState.REQUESTED
    )
    record_delegate_act(actor, request.customer_id, "request.post", request)
    if actor is not None and request.customer_id != actor.pk and by_phone:
        record_operator_action(actor, "request.by_phone", request, by_phone)


def request_participant_add(*, request_id: int, helper_id: int) -> None:
    """The helper took part (an offer): they keep seeing the request. Idempotent."""
    Participant.objects.get_or_create(request_id=request_id, helper_id=helper_id)


def request_contact_confirm(*, contact: PendingContact, customer: User) -> int:
    """Bind the requests posted for a confirmed pending contact to its account; returns
    how many. The caller has proved that `customer` owns the contact's address."""
    return JobRequest.objects.filter(pending_contact=contact, customer__isnull=True).update(
        customer=customer, updated_at=timezone.now()
    )


def request_transition(
    *,
    request_id: int,
    source: frozenset[RequestState] | RequestState,
    target: RequestState,
    actor: User | None,
    note: str = "",
    **changes: object,
) -> JobRequest:
    """Move a request from one of `source` to `target`, atomically, or raise Conflict.

    The row is locked, then moved with a compare-and-set UPDATE ... WHERE state IN (source):
    of two concurrent callers exactly one wins. Call it inside the caller's transaction so
    the change, its side effects and the audit row commit together.
    """
    sources = source if isinstance(source, frozenset) else frozenset({source})
    if not all(can_move(s, target) for s in sources):
        raise ValueError(f"transition map forbids {sorted(sources)} -> {target}")
    with transaction.atomic():
        current = (
            JobRequest.objects.select_for_update()
            .filter(pk=request_id)
            .values_list("state", flat=True)
            .first()
        )
        if current is None:
            raise Conflict("This request no longer exists.", code="request_gone")
        updated = JobRequest.objects.filter(pk=request_id, state__in=sources).update(
            state=target, updated_at=timezone.now(), **changes
        )
        if updated != 1:
            raise Conflict(
                f"This request is {current.replace('_', ' ')}; "
                f"it cannot become {target.value.replace('_', ' ')}.",
                code="illegal_state",
            )
        RequestEvent.objects.create(
            request_id=request_id, actor=actor, from_state=current, to_state=target, note=note
        )
        record_event(
            "request.moved",
            request_id=request_id,
            from_state=current,
            to_state=target,
            actor_id=actor.pk if actor else None,
            note=note,
        )
        announce_request_changed(request_id)
    return JobRequest.objects.select_related("skill", "customer").get(pk=request_id)


def request_cancel(*, actor: User, request_id: int, reason: str = "") -> JobRequest:
    """The customer withdraws a request that is not booked yet (bookings cancel separately)."""
    from .selectors import get_request_for  # scoped access, 404 outside the actor's scope

    request = get_request_for(actor, request_id)
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        raise Forbidden("Only the customer can cancel this request.", code="not_your_request")
    if request.is_multi and Participant.objects.filter(request=request, booked=True).exists():
        raise Conflict(  # bookings.multi.request_cancel_whole cancels them with it
            "Helpers are booked on this request: cancel it with its bookings.",
            code="request_has_bookings",
        )
    return request_transition(
        request_id=request.pk,
        source=OPEN_FOR_OFFERS,
        target=RequestState.CANCELLED,
        actor=actor,
        note=reason[:200],
    )


def request_cancel_for_customer(*, request_id: int, reason: str) -> JobRequest:
    """Withdraw an open request in the customer's name by someone who acts for them (a
    partner withdrawing its case); the caller has checked that it may. `reason` says who."""
    return request_transition(
        request_id=request_id,
        source=OPEN_FOR_OFFERS,
        target=RequestState.CANCELLED,
        actor=None,
        note=reason[:200],
    )
