"""Past jobs copied in bulk: the rows the services write for a fixed-price job that was
offered, booked at checkout, checked in (the demo operator's override, as played), checked
out, signed off and reviewed, written with one `bulk_create` per table for a whole round.

What handlers book is left to them: each copy records the events the played jobs record
for them (`booking.created`, `booking.completed`, `job.settled`, `review.created` when
published), so the ledger, invoices and numbering, the thresholds and the qualification
rechecks come from the same code as for a played job. Published reviews add to the scores
as `reviews.publication` does; the match index and listings are refreshed once per helper
(`helper_changed`, deferred by the seed). Not copied: the notifications and e-mails of a
played job (the inbox of the showcase people is played, see history.py), and events no
handler reads for a public request (`request.moved`, `booking.started`, …).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from quartier.bookings.models import Booking, BookingMove, Offer, OfferStatus, PriceLine
from quartier.bookings.offer_terms import FIXED_PRICE, price_line_rows
from quartier.bookings.settlement import settled_payload
from quartier.bookings.states import CHECKED_IN, SIGNED_OFF, BookingState, VisitOutcome
from quartier.bookings.withdrawal import consumer_terms
from quartier.bookings.withdrawal_models import ConsumerContract
from quartier.catalog.models import Skill
from quartier.events import helper_changed
from quartier.events.models import DomainEvent
from quartier.events.outbox import _PayloadEncoder
from quartier.geo.geocoding import CURRENCY_BY_COUNTRY
from quartier.geo.models import Postcode
from quartier.jobs.models import JobRequest, Participant, RequestEvent
from quartier.jobs.states import RequestState
from quartier.reviews.models import Direction, Review, SkillRating, SkillScore, UserScore

from .visits import REASON, demo_operator


@dataclass(frozen=True)
class CopiedJob:
    customer_id: int
    helper_id: int
    skill: Skill
    place: Postcode
    title: str
    description: str
    street_address: str
    window: tuple[datetime, datetime]
    budget_minor: int | None
    start: datetime
    price_minor: int
    message: str
    payment_method: str
    tip_minor: int
    stars: int
    skill_stars: int
    text: str
    helper_stars: int | None  # None: the helper did not review (the request stays completed)


@dataclass
class _Rows:
    job: CopiedJob
    request: JobRequest
    offer: Offer
    booking: Booking
    reviews: list[Review]


def jobs_copy(jobs: Sequence[CopiedJob]) -> None:
    """Write the jobs' rows, table by table, and the events their handlers book."""
    if not jobs:
        return
    now = timezone.now()
    rows = [_Rows(job, _request(job, now), Offer(), Booking(), []) for job in jobs]
    JobRequest.objects.bulk_create([r.request for r in rows])
    for r in rows:
        r.offer = _offer(r.job, r.request, now)
    Offer.objects.bulk_create([r.offer for r in rows])
    PriceLine.objects.bulk_create(line for r in rows for line in _lines(r.request, r.offer))
    Participant.objects.bulk_create(
        Participant(request=r.request, helper_id=r.job.helper_id) for r in rows
    )
    for r in rows:
        r.booking = _booking(r.job, r.request, r.offer, now)
    Booking.objects.bulk_create([r.booking for r in rows])
    ConsumerContract.objects.bulk_create(_contract(r, now) for r in rows)
    operator_id = demo_operator().pk
    BookingMove.objects.bulk_create(m for r in rows for m in _moves(r, operator_id, now))
    RequestEvent.objects.bulk_create(e for r in rows for e in _request_events(r, operator_id))
    for r in rows:
        r.reviews = _reviews(r, now)
    Review.objects.bulk_create(review for r in rows for review in r.reviews)
    published = [review for r in rows for review in r.reviews if review.published_at]
    SkillRating.objects.bulk_create(
        SkillRating(review=review, skill_id=int(skill_id), rating=rating)
        for review in published
        for skill_id, rating in review.skill_ratings_given.items()
    )
    _scores_add(published)
    DomainEvent.objects.bulk_create(e for r in rows for e in _events(r))
    for helper_id in sorted({r.job.helper_id for r in rows}):
        helper_changed.send(sender=Booking, helper_id=helper_id)


def _request(job: CopiedJob, now: datetime) -> JobRequest:
    place = job.place
    return JobRequest(
        customer_id=job.customer_id,
        skill=job.skill,
        title=job.title,
        description=job.description,
        street_address=job.street_address,
        country=place.country,
        postcode=place.postcode,
        locality=place.locality,
        latitude=place.latitude,
        longitude=place.longitude,
        h3_cell=place.h3_cell,
        window_start=job.window[0],
        window_end=job.window[1],
        budget_minor=job.budget_minor,
        currency=CURRENCY_BY_COUNTRY[place.country],
        state=RequestState.COMPLETED if job.helper_stars is None else RequestState.CLOSED,
        booked_helper_id=job.helper_id,
        created_at=now,
        updated_at=now,
    )


def _offer(job: CopiedJob, request: JobRequest, now: datetime) -> Offer:
    return Offer(
        request=request,
        helper_id=job.helper_id,
        price_minor=job.price_minor,
        currency=request.currency,
        proposed_start=job.start,
        proposed_end=job.start + timedelta(hours=1),
        message=job.message,
        status=OfferStatus.ACCEPTED,
        pricing=FIXED_PRICE.pricing,
        visit_fee_minor=FIXED_PRICE.visit_fee(request, job.price_minor),
        created_at=now,
    )


def _lines(request: JobRequest, offer: Offer) -> list[PriceLine]:
    return price_line_rows(offer, FIXED_PRICE.checked_lines(request, offer.price_minor))


def _booking(job: CopiedJob, request: JobRequest, offer: Offer, now: datetime) -> Booking:
    return Booking(
        request=request,
        offer=offer,
        helper_id=job.helper_id,
        customer_id=job.customer_id,
        starts_at=offer.proposed_start,
        ends_at=offer.proposed_end,
        price_minor=offer.price_minor,
        currency=offer.currency,
        payment_method=job.payment_method,
        tip_minor=job.tip_minor,
        visit_fee_minor=offer.visit_fee_minor,
        slot=offer.slot,
        state=SIGNED_OFF,
        outcome=VisitOutcome.FIXED,
        created_at=now,
        started_at=offer.proposed_start,
        checked_out_at=offer.proposed_end,
        minutes_worked=60,
        completed_at=offer.proposed_end,
    )


def _contract(r: _Rows, now: datetime) -> ConsumerContract:
    # The demo's helpers book as private persons: no trader, as at the played checkout.
    return ConsumerContract(
        booking=r.booking, regime=consumer_terms(r.request, None).regime, concluded_at=now
    )


def _moves(r: _Rows, operator_id: int, now: datetime) -> list[BookingMove]:
    steps = [
        (BookingState.BOOKED, CHECKED_IN, operator_id, REASON),
        (CHECKED_IN, BookingState.AWAITING_SIGN_OFF, r.job.helper_id, ""),
        (BookingState.AWAITING_SIGN_OFF, SIGNED_OFF, r.job.customer_id, ""),
    ]
    return [
        BookingMove(booking=r.booking, from_state=a, to_state=b, actor_id=who, reason=why, at=now)
        for a, b, who, why in steps
    ]


def _request_events(r: _Rows, operator_id: int) -> list[RequestEvent]:
    """The request's audit trail, as the services write it (backdated with the rest)."""
    job, offer = r.job, r.offer
    steps: list[tuple[str, str, int | None, str]] = [
        ("", RequestState.REQUESTED, job.customer_id, ""),
        (RequestState.REQUESTED, RequestState.OFFERED, job.helper_id, f"first offer #{offer.pk}"),
        (RequestState.OFFERED, RequestState.BOOKED, job.customer_id, f"accepted offer #{offer.pk}"),
        (RequestState.BOOKED, RequestState.IN_PROGRESS, operator_id, f"early check-in: {REASON}"),
        (RequestState.IN_PROGRESS, RequestState.COMPLETED, job.customer_id, "signed off"),
    ]
    if job.helper_stars is not None:
        steps.append((RequestState.COMPLETED, RequestState.CLOSED, None, "both sides reviewed"))
    return [
        RequestEvent(request=r.request, from_state=a, to_state=b, actor_id=who, note=note)
        for a, b, who, note in steps
    ]


def _reviews(r: _Rows, now: datetime) -> list[Review]:
    """Blind until both are in: published together, else left for the reviews tick."""
    job = r.job
    published = now if job.helper_stars is not None else None
    reviews = [
        Review(
            booking=r.booking,
            author_id=job.customer_id,
            subject_id=job.helper_id,
            direction=Direction.CUSTOMER_TO_HELPER,
            rating=job.stars,
            text=job.text.strip(),
            skill_ratings_given={str(job.skill.pk): job.skill_stars},
            published_at=published,
        )
    ]
    if job.helper_stars is not None:
        reviews.append(
            Review(
                booking=r.booking,
                author_id=job.helper_id,
                subject_id=job.customer_id,
                direction=Direction.HELPER_TO_CUSTOMER,
                rating=job.helper_stars,
                skill_ratings_given={},
                published_at=published,
            )
        )
    return reviews


def _scores_add(published: Sequence[Review]) -> None:
    """What the published reviews add to the running totals (`publication._add_to`)."""
    users: Counter[tuple[int, str]] = Counter()
    user_sums: Counter[tuple[int, str]] = Counter()
    skills: Counter[tuple[int, int]] = Counter()
    skill_sums: Counter[tuple[int, int]] = Counter()
    for review in published:
        users[review.subject_id, review.direction] += 1
        user_sums[review.subject_id, review.direction] += review.rating
        for skill_id, rating in review.skill_ratings_given.items():
            skills[review.subject_id, int(skill_id)] += 1
            skill_sums[review.subject_id, int(skill_id)] += rating
    for (user_id, direction), count in users.items():
        row, _ = UserScore.objects.get_or_create(user_id=user_id, direction=direction)
        row.rating_count += count
        row.rating_sum += user_sums[user_id, direction]
        row.save(update_fields=["rating_count", "rating_sum"])
    for (helper_id, skill_id), count in skills.items():
        score, _ = SkillScore.objects.get_or_create(helper_id=helper_id, skill_id=skill_id)
        score.rating_count += count
        score.rating_sum += skill_sums[helper_id, skill_id]
        score.save(update_fields=["rating_count", "rating_sum"])


def _events(r: _Rows) -> list[DomainEvent]:
    booking, job = r.booking, r.job
    about = {"booking_id": booking.pk, "request_id": r.request.pk}
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "booking.created",
            about
            | {
                "helper_id": job.helper_id,
                "customer_id": job.customer_id,
                "starts_at": booking.starts_at,
                "ends_at": booking.ends_at,
                "price_minor": booking.price_minor,
                "currency": booking.currency,
                "payment_method": booking.payment_method,
                "tip_minor": booking.tip_minor,
            },
        ),
        (
            "booking.completed",
            about
            | {"completed_at": booking.completed_at, "by_user_id": job.customer_id}
            | {"automatic": False},
        ),
        ("job.settled", settled_payload(booking.pk, settled_at=booking.ends_at)),
    ]
    for review in r.reviews:
        if review.published_at is not None:
            events.append(
                (
                    "review.created",
                    about
                    | {
                        "review_id": review.pk,
                        "subject_id": review.subject_id,
                        "direction": review.direction,
                        "rating": review.rating,
                    },
                )
            )
    encoder = _PayloadEncoder()
    return [DomainEvent(kind=kind, payload=json.loads(encoder.encode(p))) for kind, p in events]
