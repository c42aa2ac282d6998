"""Book now under load: two customers book the same helper for the same time at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from quartier.bookings.models import Booking, Offer
from quartier.catalog.services import helper_skill_prices_set
from quartier.dispatch.book_now import book_now
from quartier.errors import Conflict
from quartier.jobs.models import JobRequest
from tests.factories import make_customer, make_helper, make_request
from tests.races import race, reference_data_load


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Iterator[None]:
    """The flushes after these transactional tests empty the database: put the postcodes
    and the catalogue back for the tests that run later."""
    yield
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_customers_cannot_both_book_the_same_helper_now_for_the_same_time():
    helper = make_helper(email="hans@example.com", postcode="8003", radius_km=10)
    helper_skill_prices_set(
        actor=helper,
        skill="tv-set-top-box",
        hourly_rate_minor=None,
        fixed_price_minor=12000,
        fixed_duration_minutes=120,
    )
    anna = make_customer(email="anna@example.com")
    ben = make_customer(email="ben@example.com")
    jobs = [make_request(customer) for customer in (anna, ben)]
    start = jobs[0].window_start + timedelta(hours=1)

    outcomes = race(
        *(
            (
                lambda c=customer, j=job: book_now(
                    actor=c, request_id=j.pk, helper_id=helper.pk, starts_at=start
                )
            )
            for customer, job in ((anna, jobs[0]), (ben, jobs[1]))
        )
    )

    bookings = [o for o in outcomes if isinstance(o, Booking)]
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(bookings) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], Conflict), repr(errors[0])
    assert errors[0].code in ("helper_double_booked", "helper_not_free")
    assert Booking.objects.filter(helper=helper, cancelled_at__isnull=True).count() == 1
    # The loser's request is untouched: no offer left behind, still open for offers.
    loser = next(j for j in jobs if j.pk != bookings[0].request_id)
    assert not Offer.objects.filter(request_id=loser.pk).exists()
    assert JobRequest.objects.get(pk=loser.pk).state == "requested"
