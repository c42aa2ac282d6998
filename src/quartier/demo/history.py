"""The demo's past: completed, reviewed jobs, played in the near future and then moved back
in time (the services rightly refuse to book time that has gone by).

A few dozen jobs (the first of every round, and every job of the showcase customer and
helper) are played through the real services: offer, checkout, visit, sign-off, reviews.
The rest are copied in bulk (`copies.py`): the same rows those services write, and the
events whose handlers book the past (the ledger, invoices, thresholds, qualification
rechecks), delivered with the played ones by the money stage.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Subquery

from quartier.accounts.models import User
from quartier.bookings.models import Booking, Offer
from quartier.bookings.services import offer_accept, offer_create
from quartier.geo.models import Postcode
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.jobs.states import RequestState
from quartier.matching.engine import MatchQuery, rank
from quartier.reviews.models import Review
from quartier.reviews.services import review_create

from . import people
from .copies import CopiedJob, jobs_copy
from .showcase import several_helpers_play
from .visits import demo_check_in, demo_visit_finish

if TYPE_CHECKING:
    from .seed import _Seeder

HISTORY_SHIFT = timedelta(days=120)
#: Rounds of past jobs: each demo customer books about once per round (four rounds give
#: some 240 completed, reviewed, invoiced jobs).
HISTORY_ROUNDS = 4
#: Jobs per round played through every service; the rest of the round is copied in bulk.
PLAYED_PER_ROUND = 8
REVIEW_DELAY = timedelta(hours=20)
# Audit events that happen in the booked slot: (booking column, delay after it).
SLOT_STATES = {
    RequestState.IN_PROGRESS: ("starts_at", timedelta(0)),
    RequestState.COMPLETED: ("ends_at", timedelta(0)),
    RequestState.CLOSED: ("ends_at", REVIEW_DELAY),
}


@dataclass(frozen=True)
class _Choice:
    """What one past job was: who, what, when, for how much, and how it was reviewed."""

    customer: User
    helper_id: int
    skill: str
    place: Postcode
    start: datetime
    price_minor: int
    payment_method: str
    tip_minor: int
    stars: int
    skill_stars: int
    text: str
    helper_stars: int | None


class History:
    def __init__(self, seeder: _Seeder, providers: list[User]) -> None:
        self.seeder = seeder
        self.rng: random.Random = seeder.rng
        self.showcase = providers[0].pk if providers else None
        self.day_of: dict[int, int] = {}
        self.taken: set[tuple[int, datetime]] = set()

    def run(self, customers: list[User]) -> int:
        """Completed, reviewed bookings: played or copied, then backdated; how many."""
        completed = 0
        showcase_customer = customers[0].pk if customers else None
        for round_ in range(HISTORY_ROUNDS):
            copies: list[CopiedJob] = []
            played_in_round = 0
            for customer in customers:
                choice = self._choose(customer, day=1 + round_)
                if choice is None:
                    continue
                played = (
                    played_in_round < PLAYED_PER_ROUND
                    or customer.pk == showcase_customer
                    or choice.helper_id == self.showcase
                )
                if played:
                    self._play(choice, day=1 + round_)
                    played_in_round += 1
                else:
                    copies.append(self._copy(choice, day=1 + round_))
                completed += 1
            jobs_copy(copies)
        if customers:  # a move for two, in the showcase customer's past
            completed += several_helpers_play(self.seeder, customers[0], day=1 + HISTORY_ROUNDS)
        backdate()
        return completed

    def _choose(self, customer: User, *, day: int) -> _Choice | None:
        rng = self.rng
        place = self.seeder._place(customer.demo_city)  # type: ignore[attr-defined]
        skill = self.seeder._served_skill(customer, place)
        if skill is None:
            return None
        window_start, window_end = self.seeder._window(day)
        # The past was dispatched long ago: the customer booked one of the matched helpers.
        candidates = rank(
            MatchQuery(
                skill_id=self.seeder.skills[skill].pk,
                latitude=place.latitude,
                longitude=place.longitude,
                window_start=window_start,
                window_end=window_end,
                limit=5,
                exclude_helper_ids={customer.pk},
                seed=rng.randint(1, 10**6),
            )
        )
        ids = [c.helper_id for c in candidates]
        if not ids:
            return None
        # The showcase helper (helper1) gets a share of the jobs near them.
        chosen = self.showcase if self.showcase in ids and rng.random() < 0.5 else None
        helper_id = chosen or rng.choice(ids)
        start = self._slot(helper_id, window_start)
        if start is None:
            return None
        stars = rng.choices([5, 4, 3, 2], weights=[60, 28, 9, 3])[0]
        return _Choice(
            customer=customer,
            helper_id=helper_id,
            skill=skill,
            place=place,
            start=start,
            price_minor=rng.randint(6, 30) * 1000,
            # Most pay the helper by transfer on the invoice, some in cash; some tip.
            payment_method=rng.choices(["transfer", "cash"], weights=[7, 3])[0],
            tip_minor=rng.choice([0, 0, 0, 500, 1000]),
            stars=stars,
            skill_stars=max(1, min(5, stars + rng.choice([-1, 0, 0, 1]))),
            text=rng.choice(people.REVIEW_TEXTS),
            helper_stars=rng.choice([4, 5, 5]) if rng.random() < 0.8 else None,
        )

    def _slot(self, helper_id: int, window_start: datetime) -> datetime | None:
        """An hour of the window the helper has not been booked for (None: none left)."""
        for _ in range(8):
            day = self.day_of.get(helper_id, 0) + 1
            self.day_of[helper_id] = day
            start = window_start + timedelta(hours=1 + (day % 8))
            if (helper_id, start) not in self.taken:
                self.taken.add((helper_id, start))
                return start
        return None

    def _play(self, choice: _Choice, *, day: int) -> None:
        """Through the services, as the customer and the helper would."""
        customer = choice.customer
        request = self.seeder._post(customer, choice.skill, day=day, place=choice.place, terms=None)
        helper = User.objects.get(pk=choice.helper_id)
        offer = offer_create(
            actor=helper,
            request_id=request.pk,
            price_minor=choice.price_minor,
            proposed_start=choice.start,
            proposed_end=choice.start + timedelta(hours=1),
            message=OFFER_MESSAGE,
        )
        booking = offer_accept(
            actor=customer,
            offer_id=offer.pk,
            payment_method=choice.payment_method,
            tip_minor=choice.tip_minor,
        )
        demo_check_in(booking)
        demo_visit_finish(booking)
        review_create(
            actor=customer,
            booking_id=booking.pk,
            rating=choice.stars,
            text=choice.text,
            skill_ratings=[(choice.skill, choice.skill_stars)],
        )
        if choice.helper_stars is not None:
            review_create(actor=helper, booking_id=booking.pk, rating=choice.helper_stars)

    def _copy(self, choice: _Choice, *, day: int) -> CopiedJob:
        rng = self.rng
        title, description = people.REQUEST_TEMPLATES[choice.skill]
        window = self.seeder._window(day)
        street = rng.choice(["Bahnhofstrasse", "Hauptstrasse", "Lindenweg", "Gartenstrasse"])
        return CopiedJob(
            customer_id=choice.customer.pk,
            helper_id=choice.helper_id,
            skill=self.seeder.skills[choice.skill],
            place=choice.place,
            title=title,
            description=description,
            street_address=f"{street} {rng.randint(1, 120)}",
            window=window,
            budget_minor=rng.choice([None, 8000, 12000, 20000]),
            start=choice.start,
            price_minor=choice.price_minor,
            message=OFFER_MESSAGE,
            payment_method=choice.payment_method,
            tip_minor=choice.tip_minor,
            stars=choice.stars,
            skill_stars=choice.skill_stars,
            text=choice.text,
            helper_stars=choice.helper_stars,
        )


OFFER_MESSAGE = "Gerne, ich kann vorbeikommen."


def backdate() -> None:
    """Move the played-through history into the past, as it would have happened."""
    shift = HISTORY_SHIFT
    done = JobRequest.objects.filter(pk__in=Booking.objects.values("request_id"))
    done.update(
        window_start=F("window_start") - shift,
        window_end=F("window_end") - shift,
        created_at=F("created_at") - shift,
    )
    Offer.objects.filter(request__in=done).update(
        proposed_start=F("proposed_start") - shift,
        proposed_end=F("proposed_end") - shift,
        created_at=F("created_at") - shift,
    )
    Booking.objects.update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    # The work happened in the booked slot; the booking was made when it was offered.
    Booking.objects.update(
        created_at=Subquery(Offer.objects.filter(pk=OuterRef("offer_id")).values("created_at")[:1]),
        started_at=F("starts_at"),
        checked_out_at=F("ends_at"),
        completed_at=F("ends_at"),
    )
    reviewed_at = Booking.objects.filter(pk=OuterRef("booking_id")).values("ends_at")[:1]
    Review.objects.update(created_at=Subquery(reviewed_at))
    Review.objects.update(created_at=F("created_at") + REVIEW_DELAY)
    events = RequestEvent.objects.filter(request__in=done)
    events.exclude(to_state__in=SLOT_STATES).update(created_at=F("created_at") - shift)
    for state, (column, delay) in SLOT_STATES.items():
        at = Booking.objects.filter(request_id=OuterRef("request_id")).values(column)[:1]
        events.filter(to_state=state).update(created_at=Subquery(at))
        events.filter(to_state=state).update(created_at=F("created_at") + delay)
