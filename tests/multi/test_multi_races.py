"""Two accepts racing for the last place of a request for two helpers: one books, the other
gets 409; never three bookings on two places (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from quartier.bookings.models import Booking
from quartier.bookings.services import offer_accept
from quartier.errors import Conflict
from quartier.jobs.models import JobRequest, RequestEvent
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.races import race, reference_data_load


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_accepts_racing_for_the_last_place_do_not_overbook():
    anna = make_customer(email="anna@example.com")
    movers = [make_helper(email=f"m{i}@example.com", postcode="8003") for i in range(3)]
    move = make_request(anna, helpers_needed=2)
    offers = [make_offer(h, move, hours_in=1 + i) for i, h in enumerate(movers)]
    offer_accept(actor=anna, offer_id=offers[0].pk)

    outcomes = race(*[(lambda o=o: offer_accept(actor=anna, offer_id=o.pk)) for o in offers[1:]])

    booked = [o for o in outcomes if isinstance(o, Booking)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(booked) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert errors[0].status == 409
    assert Booking.objects.filter(request=move).count() == 2
    assert sorted(Booking.objects.filter(request=move).values_list("slot", flat=True)) == [1, 2]
    assert JobRequest.objects.get(pk=move.pk).state == "booked"
    assert RequestEvent.objects.filter(request=move, to_state="booked").count() == 1
