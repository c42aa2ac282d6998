"""Counter-offers under concurrency: the helper accepts a counter while the customer books
(another offer, or the countered one at its own terms). Exactly one commitment wins, and no
open offer is left on a booked request. Runs on SQLite (a committing file) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from quartier.bookings.counter_models import Counter
from quartier.bookings.counters import counter_accept, counter_make
from quartier.bookings.models import Booking, Offer, OfferStatus
from quartier.bookings.services import offer_accept
from quartier.errors import Conflict
from quartier.jobs.models import JobRequest
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.races import race, reference_data_load


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        reference_data_load()


def _countered() -> tuple[Any, Any, JobRequest, Offer, Counter]:
    anna = make_customer(email="anna@example.com")
    hans = make_helper(email="hans@example.com")
    job = make_request(anna)
    offer = make_offer(hans, job, price=9000)
    return anna, hans, job, offer, counter_make(actor=anna, offer_id=offer.pk, price_minor=7000)


def _no_open_offer_left(job: JobRequest) -> None:
    assert JobRequest.objects.get(pk=job.pk).state == "booked"
    assert not Offer.objects.filter(request=job, status=OfferStatus.PENDING).exists()
    assert not Counter.objects.filter(request=job, status="open").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_accepting_a_counter_while_the_customer_books_another_helper():
    anna, hans, job, _offer, counter = _countered()
    mia = make_helper(email="mia@example.com")
    other = make_offer(mia, job, hours_in=4)
    accept, book = race(
        lambda: counter_accept(actor=hans, counter_id=counter.pk),
        lambda: offer_accept(actor=anna, offer_id=other.pk),
    )
    assert isinstance(book, Booking), book  # the customer's booking always stands
    assert Booking.objects.get(request=job).helper_id == mia.pk
    if isinstance(accept, Exception):  # the booking came first: the counter lapsed
        assert isinstance(accept, Conflict), accept
        assert Counter.objects.get(pk=counter.pk).status == "lapsed"
    else:  # the accept came first: its new offer is declined with the others
        agreed = Offer.objects.get(pk=accept.agreed_offer_id)
        assert agreed.status == OfferStatus.DECLINED
    _no_open_offer_left(job)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_accepting_a_counter_while_the_customer_books_the_countered_offer():
    anna, hans, job, offer, counter = _countered()
    accept, book = race(
        lambda: counter_accept(actor=hans, counter_id=counter.pk),
        lambda: offer_accept(actor=anna, offer_id=offer.pk),
    )
    won = [o for o in (accept, book) if not isinstance(o, Exception)]
    lost = [o for o in (accept, book) if isinstance(o, Exception)]
    assert len(won) == 1, (accept, book)
    assert len(lost) == 1, (accept, book)
    assert isinstance(lost[0], Conflict), lost
    if isinstance(book, Booking):  # booked at the offer's own terms; the counter lapsed
        assert book.price_minor == 9000
        assert Counter.objects.get(pk=counter.pk).status == "lapsed"
        _no_open_offer_left(job)
    else:  # the helper's new offer at 70.00 waits for the customer; nothing is booked
        assert not Booking.objects.filter(request=job).exists()
        agreed = Offer.objects.get(request=job, status=OfferStatus.PENDING)
        assert agreed.price_minor == 7000


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_counters_at_once_leave_one():
    anna = make_customer(email="anna@example.com")
    hans = make_helper(email="hans@example.com")
    job = make_request(anna)
    offer = make_offer(hans, job, price=9000)
    outcomes = race(
        lambda: counter_make(actor=anna, offer_id=offer.pk, price_minor=7000),
        lambda: counter_make(actor=anna, offer_id=offer.pk, price_minor=7500),
    )
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict), outcomes
    assert refused[0].code in ("already_countered", "offer_not_pending"), refused
    assert Counter.objects.filter(request=job).count() == 1
