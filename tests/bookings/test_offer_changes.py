"""A helper withdraws and makes a new offer, or changes an open one; one live offer each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from quartier.bookings.models import Offer, OfferStatus
from quartier.bookings.offer_changes import offer_change
from quartier.bookings.services import booking_cancel, offer_create, offer_withdraw
from quartier.errors import Conflict
from quartier.notifications.models import Notification
from tests.api_checks import assert_problem
from tests.conftest import Api
from tests.factories import make_customer, make_helper, make_offer, make_request
from tests.races import race, reference_data_load


def offer_body(job: Any, *, price: int = 9500, hours_in: int = 2) -> dict[str, Any]:
    start = job.window_start + timedelta(hours=hours_in)
    return {
        "price_minor": price,
        "proposed_start": start.isoformat(),
        "proposed_end": (start + timedelta(hours=2)).isoformat(),
        "message": "I can bring a cable.",
    }


@pytest.mark.django_db
def test_after_withdrawing_the_helper_makes_a_new_offer():
    anna, hans = make_customer(), make_helper()
    job = make_request(anna)
    first = make_offer(hans, job)
    api = Api(hans)
    assert_problem(api.post(f"/requests/{job.pk}/offers", offer_body(job)), 409)
    offer_withdraw(actor=hans, offer_id=first.pk)
    again = api.post(f"/requests/{job.pk}/offers", offer_body(job))
    assert again.status_code == 201, again.data
    statuses = [o["status"] for o in Api(anna).get(f"/requests/{job.pk}/offers").data]
    assert statuses == ["withdrawn", "pending"]


@pytest.mark.django_db
def test_the_helper_changes_an_open_offer_in_one_step_and_the_customer_is_told():
    anna, hans = make_customer(email="anna@example.com"), make_helper()
    job = make_request(anna)
    first = make_offer(hans, job, price=9000)
    Notification.objects.all().delete()
    response = Api(hans).post(f"/offers/{first.pk}/change", offer_body(job, price=8000))
    assert response.status_code == 201, response.data
    assert (response.data["price_minor"], response.data["replaces_id"]) == (8000, first.pk)
    assert response.data["message"] == "I can bring a cable."
    offers = Api(anna).get(f"/requests/{job.pk}/offers").data
    assert [(o["status"], o["price_minor"]) for o in offers] == [
        ("withdrawn", 9000),
        ("pending", 8000),
    ]
    (told,) = Notification.objects.filter(user=anna)
    assert told.title.startswith("Geändertes Angebot von")  # in Anna's language


@pytest.mark.django_db
def test_a_change_that_breaks_a_rule_keeps_the_old_offer():
    anna, hans = make_customer(), make_helper()
    job = make_request(anna)
    first = make_offer(hans, job)
    outside = offer_body(job, hours_in=-3)
    body = assert_problem(Api(hans).post(f"/offers/{first.pk}/change", outside), 422)
    assert "window" in body["detail"] + str(body["errors"])
    assert Offer.objects.get(pk=first.pk).status == OfferStatus.PENDING
    assert Offer.objects.filter(request=job).count() == 1


@pytest.mark.django_db
def test_only_an_open_offer_is_changed_and_only_by_its_helper():
    anna, hans = make_customer(), make_helper()
    job = make_request(anna)
    first = make_offer(hans, job)
    assert_problem(Api(anna).post(f"/offers/{first.pk}/change", offer_body(job)), 403)
    offer_withdraw(actor=hans, offer_id=first.pk)
    assert_problem(
        Api(hans).post(f"/offers/{first.pk}/change", offer_body(job)),
        409,
        code="offer_not_pending",
    )


@pytest.mark.django_db
def test_a_helper_not_chosen_offers_again_when_the_job_comes_back():
    anna = make_customer()
    hans, mia = make_helper(email="hans@example.com"), make_helper(email="mia@example.com")
    job = make_request(anna)
    hans_offer = make_offer(hans, job)
    mia_offer = make_offer(mia, job, hours_in=3)
    Api(anna).post(f"/offers/{mia_offer.pk}/accept", {})
    assert Offer.objects.get(pk=hans_offer.pk).status == OfferStatus.DECLINED
    booking = mia_offer.booking
    booking_cancel(actor=mia, booking_id=booking.pk, reason="Ill.")  # back to dispatch
    # Mia cancelled her booking: she does not come back on her own.
    assert_problem(
        Api(mia).post(f"/requests/{job.pk}/offers", offer_body(job)), 409, code="booking_ended"
    )
    again = Api(hans).post(f"/requests/{job.pk}/offers", offer_body(job))
    assert again.status_code == 201, again.data


@pytest.fixture(scope="module")
def reference_data_restored(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "reference_data_restored")
def test_two_concurrent_offers_from_one_helper_leave_one_live_offer():
    anna, hans = make_customer(email="anna@example.com"), make_helper(email="hans@example.com")
    job = make_request(anna)
    start = job.window_start + timedelta(hours=1)

    def offer(price: int) -> Any:
        return lambda: offer_create(
            actor=hans,
            request_id=job.pk,
            price_minor=price,
            proposed_start=start,
            proposed_end=start + timedelta(hours=2),
        )

    outcomes = race(offer(9000), offer(9100))
    made = [o for o in outcomes if isinstance(o, Offer)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(made) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict), outcomes
    assert refused[0].code == "duplicate_offer"
    assert Offer.objects.filter(request=job, helper=hans, status="pending").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db", "reference_data_restored")
def test_two_concurrent_changes_of_one_offer_leave_one_live_offer():
    anna, hans = make_customer(email="anna@example.com"), make_helper(email="hans@example.com")
    job = make_request(anna)
    first = make_offer(hans, job)
    start = job.window_start + timedelta(hours=2)

    def change(price: int) -> Any:
        return lambda: offer_change(
            actor=hans,
            offer_id=first.pk,
            price_minor=price,
            proposed_start=start,
            proposed_end=start + timedelta(hours=2),
        )

    outcomes = race(change(8000), change(8500))
    assert sum(isinstance(o, Offer) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    live = Offer.objects.filter(request=job, helper=hans, status__in=["pending", "accepted"])
    assert live.count() == 1
    assert live.get().replaces_id == first.pk
