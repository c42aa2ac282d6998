"""Counter-offers: one round. The customer answers an open offer with their own price, time
or both; the helper accepts or withdraws. Nobody counters a counter.

- Only the request's customer counters, only an open offer on a request that still takes
  offers, never an offer on a partner's fixed terms. The price is checked as an offer's
  (positive, at most 100,000); the time must lie in the request's window, in the future,
  and — when it differs from the helper's — in the helper's weekly hours, clear of their
  absences and bookings.
- One counter per helper and request, ever (`one_counter_per_helper_and_request`): once
  countered, the helper can no longer change their offer or make a new one there; their
  answer is accept or withdraw.
- A counter expires after `COUNTER_HOURS`, or at the start of the time it proposes if
  sooner; it lapses with its offer (another offer booked, the offer itself booked at its
  own terms: the customer may still book any offer meanwhile).
- Accepting withdraws the countered offer and makes the helper's new offer at the counter's
  terms (`Offer.replaces`, as a changed offer), which the customer then books at checkout
  like any other: a counter is no order. The customer has not yet chosen how to pay, seen
  the cancellation terms nor — in Germany — given the declarations checkout takes, and
  the order button must say that it costs money (§ 312j Abs. 3 BGB); the customer may also
  have booked someone else meanwhile. A countered price is a fixed total (one labour line
  at the VAT rate the helper's labour carried); a countered time alone keeps the helper's
  pricing and lines.
- Concurrency: the accept locks the request first, as booking does (`request_transition`);
  of a helper's accept and the customer's booking of another offer exactly one wins, and
  the other sees a Conflict or — when the accept came first — its new offer declined.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import announce_request_changed, record_event
from quartier.households.access import acts_for
from quartier.jobs.masking import mask_contact_details
from quartier.jobs.models import JobRequest
from quartier.jobs.selectors import get_request_for
from quartier.jobs.states import OPEN_FOR_OFFERS

from .counter_models import Counter, CounterStatus
from .counter_notices import tell_counter_answer, tell_countered
from .counter_rules import FREE_PROBLEMS, helper_free_problem
from .models import LineKind, Offer, OfferStatus, Pricing
from .offer_terms import OfferTerms, offer_lines, offer_time_check
from .pricing import price_lines_check
from .selectors import get_offer_for
from .services import offer_create, offer_withdraw

COUNTER_HOURS = 48
MAX_MESSAGE = 500


def get_counter_for(actor: User, counter_id: int) -> Counter:
    """The counter, for its helper, the request's customer and operators (404 for others)."""
    counter = (
        Counter.objects.select_related("offer__request", "offer__helper")
        .filter(pk=counter_id)
        .first()
    )
    if counter is None or not actor.is_authenticated:
        raise NotFound("No such counter-offer.")
    if (
        actor.is_staff
        or actor.pk == counter.helper_id
        or acts_for(actor, counter.offer.request.customer_id)
    ):
        return counter
    raise NotFound("No such counter-offer.")


def counter_list_for_request(*, actor: User, request_id: int) -> list[Counter]:
    """The customer (and operators) see every counter on the request; a helper their own."""
    request = get_request_for(actor, request_id)
    counters = Counter.objects.filter(request=request).select_related("offer")
    if not acts_for(actor, request.customer_id) and not actor.is_staff:
        counters = counters.filter(helper=actor)
    return list(counters.order_by("created_at", "pk"))


def counters_by_offer(*, request_id: int) -> dict[int, Counter]:
    """The request's counters by the offer they counter and by the offer agreed (one query),
    for a page that already checked who may see the request's offers."""
    found: dict[int, Counter] = {}
    for counter in Counter.objects.filter(request_id=request_id):
        found[counter.offer_id] = counter
        if counter.agreed_offer_id is not None:
            found[counter.agreed_offer_id] = counter
    return found


def counter_of_helper(*, request_id: int, helper_id: int) -> Counter | None:
    """The helper's counter on the request (at most one), for their page of it."""
    return Counter.objects.filter(request_id=request_id, helper_id=helper_id).first()


def _terms(offer: Offer, start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The counter's time: as given, the end keeping the offer's length when left out."""
    begin = start or offer.proposed_start
    if end is None:
        end = begin + (offer.proposed_end - offer.proposed_start) if start else offer.proposed_end
    return begin, end


def _counterable(actor: User, offer_id: int) -> Offer:
    offer = get_offer_for(actor, offer_id)
    if not acts_for(actor, offer.request.customer_id):
        raise Forbidden("Only the customer can counter an offer.", code="not_your_request")
    if offer.partner_id is not None:
        raise Conflict(
            "An offer on a partner's fixed terms takes no counter-offer.", code="offer_fixed_terms"
        )
    if offer.request.state not in OPEN_FOR_OFFERS:
        raise Conflict("This request no longer takes offers.", code="illegal_state")
    if offer.status != OfferStatus.PENDING:
        raise Conflict(f"This offer is {offer.status}.", code="offer_not_pending")
    return offer


def counter_make(
    *,
    actor: User,
    offer_id: int,
    price_minor: int | None = None,
    proposed_start: datetime | None = None,
    proposed_end: datetime | None = None,
    message: str = "",
) -> Counter:
    """The customer counters an open offer: another price, another time, or both (what is
    left out stays the offer's). The helper is told at once."""
    offer = _counterable(actor, offer_id)
    request = offer.request
    price = offer.price_minor if price_minor is None else price_minor
    start, end = _terms(offer, proposed_start, proposed_end)
    moved = (start, end) != (offer.proposed_start, offer.proposed_end)
    if price == offer.price_minor and not moved:
        raise field_error(
            "price_minor", "Change the price, the time or both.", code="counter_unchanged"
        )
    price_lines_check(currency=request.currency, title=request.title, lines=None, price_minor=price)
    offer_time_check(request, start, end)
    if moved and (problem := helper_free_problem(offer.helper_id, start, end)):
        raise field_error("proposed_start", FREE_PROBLEMS[problem], code=problem)
    now = timezone.now()
    expires_at = min(now + timedelta(hours=COUNTER_HOURS), start)
    if expires_at <= now:
        raise field_error(
            "proposed_start", "The time must start in the future.", code="counter_too_late"
        )
    if len(message.strip()) > MAX_MESSAGE:
        raise field_error("message", "At most 500 characters.", code="message_too_long")
    try:
        with transaction.atomic():
            if (
                not Offer.objects.select_for_update()
                .filter(pk=offer.pk, status=OfferStatus.PENDING)
                .exists()
            ):
                raise Conflict("This offer is no longer open.", code="offer_not_pending")
            counter = Counter.objects.create(
                offer=offer,
                request=request,
                helper_id=offer.helper_id,
                price_minor=price,
                proposed_start=start,
                proposed_end=end,
                message=mask_contact_details(message.strip())[0],
                created_at=now,
                expires_at=expires_at,
            )
            record_event("offer.countered", **_about(counter), by_user_id=actor.pk)
            tell_countered(counter)
            announce_request_changed(request.pk)
    except IntegrityError:
        raise Conflict(
            "You countered this helper once already: book their offer or choose another.",
            code="already_countered",
        ) from None
    return counter


def _about(counter: Counter) -> dict[str, object]:
    return {
        "counter_id": counter.pk,
        "offer_id": counter.offer_id,
        "request_id": counter.request_id,
        "helper_id": counter.helper_id,
        "price_minor": counter.price_minor,
        "proposed_start": counter.proposed_start,
        "proposed_end": counter.proposed_end,
    }


def _helpers_counter(actor: User, counter_id: int) -> Counter:
    counter = get_counter_for(actor, counter_id)
    if counter.helper_id != actor.pk:
        raise Forbidden("Only the helper who was countered answers.", code="not_your_offer")
    return counter


def _closed(counter: Counter, now: datetime) -> Conflict:
    """Why an answer came too late."""
    counter.refresh_from_db()
    if counter.status_at(now) == CounterStatus.EXPIRED:
        return Conflict("This counter-offer has expired.", code="counter_expired")
    return Conflict(f"This counter-offer is {counter.status}.", code="counter_not_open")


def agreed_terms(offer: Offer, counter: Counter) -> tuple[int | None, OfferTerms]:
    """The price and terms of the offer made when the helper accepts `counter`."""
    lines = offer_lines(offer)
    labour = next((line for line in lines if line.kind == LineKind.LABOUR), None)
    vat = labour.vat_rate if labour is not None else Decimal(0)
    if counter.price_minor != offer.price_minor:
        return counter.price_minor, OfferTerms(vat_rate=vat)
    fee = offer.visit_fee_minor
    if offer.pricing == Pricing.HOURLY and labour is not None:
        return None, OfferTerms(
            pricing=Pricing.HOURLY,
            lines=[line.as_payload() for line in lines if line is not labour],
            hourly_rate_minor=labour.unit_minor,
            estimated_hours=labour.quantity,
            vat_rate=vat,
            visit_fee_minor=fee,
        )
    return None, OfferTerms(lines=[line.as_payload() for line in lines], visit_fee_minor=fee)


def counter_accept(*, actor: User, counter_id: int) -> Counter:
    """The helper accepts: their offer is replaced by one at the counter's terms, which the
    customer is told to book. Refused when the counter expired or ended, the request moved
    on, or the helper cannot work at its time any more."""
    counter = _helpers_counter(actor, counter_id)
    offer = counter.offer
    now = timezone.now()
    with transaction.atomic():
        state = (
            JobRequest.objects.select_for_update()
            .filter(pk=counter.request_id)
            .values_list("state", flat=True)
            .first()
        )
        if state not in OPEN_FOR_OFFERS:
            raise Conflict("This request no longer takes offers.", code="illegal_state")
        accepted = Counter.objects.filter(
            pk=counter.pk, status=CounterStatus.OPEN, expires_at__gt=now
        ).update(status=CounterStatus.ACCEPTED, closed_at=now)
        if accepted != 1:
            raise _closed(counter, now)
        moved = (counter.proposed_start, counter.proposed_end) != (
            offer.proposed_start,
            offer.proposed_end,
        )
        if moved and (problem := helper_free_problem(actor.pk, *_times(counter))):
            raise Conflict(FREE_PROBLEMS[problem], code=problem)
        if (
            Offer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=OfferStatus.WITHDRAWN
            )
            != 1
        ):
            raise Conflict("This offer is no longer open.", code="offer_not_pending")
        price_minor, terms = agreed_terms(offer, counter)
        agreed = offer_create(
            actor=actor,
            request_id=counter.request_id,
            proposed_start=counter.proposed_start,
            proposed_end=counter.proposed_end,
            price_minor=price_minor,
            message=offer.message,
            terms=terms,
            tell_customer=False,
            replaces=offer,
        )
        Counter.objects.filter(pk=counter.pk).update(agreed_offer=agreed)
        record_event("offer.counter_accepted", **_about(counter), agreed_offer_id=agreed.pk)
        tell_counter_answer(counter, agreed=agreed)
    counter.refresh_from_db()
    return counter


def _times(counter: Counter) -> tuple[datetime, datetime]:
    return counter.proposed_start, counter.proposed_end


def counter_withdraw(*, actor: User, counter_id: int) -> Counter:
    """The helper does not take the counter's terms: their offer is withdrawn (the customer
    is told) and, one round only, they make no other on this request."""
    counter = _helpers_counter(actor, counter_id)
    now = timezone.now()
    if counter.status_at(now) != CounterStatus.OPEN:
        raise _closed(counter, now)
    offer_withdraw(actor=actor, offer_id=counter.offer_id)
    counter.refresh_from_db()
    return counter
