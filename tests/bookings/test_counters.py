"""Counter-offers: the customer counters once; the helper accepts or withdraws; one round."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from quartier.bookings.availability import weekly_slots_set
from quartier.bookings.counter_expiry import counters_expire
from quartier.bookings.counter_models import Counter
from quartier.bookings.counters import counter_accept, counter_make
from quartier.bookings.models import Offer, OfferStatus
from quartier.bookings.services import booking_cancel, offer_accept
from quartier.errors import Conflict
from quartier.notifications.models import Notification
from tests.api_checks import assert_problem
from tests.conftest import Api
from tests.factories import make_customer, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


def later(job: Any, hours_in: int = 3) -> dict[str, str]:
    start = job.window_start + timedelta(hours=hours_in)
    return {
        "proposed_start": start.isoformat(),
        "proposed_end": (start + timedelta(hours=2)).isoformat(),
    }


def countered(price: int = 7000, **extra: Any) -> tuple[Any, Any, Any, Offer, dict[str, Any]]:
    anna = make_customer(email="anna@example.com", preferred_language="de")
    hans = make_helper(email="hans@example.com", preferred_language="en")
    job = make_request(anna)
    offer = make_offer(hans, job, price=9000)
    Notification.objects.all().delete()
    response = Api(anna).post(f"/offers/{offer.pk}/counter", {"price_minor": price, **extra})
    assert response.status_code == 201, response.data
    return anna, hans, job, offer, response.data


def test_the_customer_counters_the_price_and_the_helper_is_told():
    anna, hans, job, offer, counter = countered(message="Call me on 079 123 45 67")
    assert (counter["status"], counter["price_minor"]) == ("open", 7000)
    assert (
        counter["proposed_start"]
        == Api(anna).get(f"/requests/{job.pk}/offers").data[0]["proposed_start"]
    )
    assert "079" not in counter["message"]  # masked, as in chat before a booking
    (told,) = Notification.objects.filter(user=hans)
    assert "counter" in told.title.lower()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING  # still bookable
    mine = Api(hans).get(f"/requests/{job.pk}/counters").data
    assert [c["id"] for c in mine] == [counter["id"]]


def test_accepting_makes_an_offer_at_the_counters_terms_for_the_customer_to_book():
    anna, hans, job, offer, counter = countered()
    response = Api(hans).post(f"/counters/{counter['id']}/accept", {})
    assert response.status_code == 200, response.data
    agreed_id = response.data["agreed_offer_id"]
    assert response.data["status"] == "accepted"
    offers = Api(anna).get(f"/requests/{job.pk}/offers").data
    assert [(o["id"], o["status"], o["price_minor"]) for o in offers] == [
        (offer.pk, "withdrawn", 9000),
        (agreed_id, "pending", 7000),
    ]
    assert offers[1]["replaces_id"] == offer.pk
    (told,) = Notification.objects.filter(user=anna)
    assert "Gegenangebot" in told.title  # Anna reads German
    booked = Api(anna).post(f"/offers/{agreed_id}/accept", {})
    assert booked.status_code in (200, 201), booked.data
    assert booked.data["price_minor"] == 7000


def test_a_counter_of_the_time_alone_keeps_the_helpers_price_and_lines():
    anna = make_customer()
    hans = make_helper()
    job = make_request(anna)
    offer = make_offer(hans, job, price=9000)
    counter = counter_make(actor=anna, offer_id=offer.pk, **_times(job, 4))
    agreed = Offer.objects.get(pk=counter_accept(actor=hans, counter_id=counter.pk).agreed_offer_id)
    assert (agreed.price_minor, agreed.proposed_start) == (9000, counter.proposed_start)
    assert agreed.proposed_end - agreed.proposed_start == timedelta(hours=2)


def _times(job: Any, hours_in: int) -> dict[str, Any]:
    start = job.window_start + timedelta(hours=hours_in)
    return {"proposed_start": start, "proposed_end": start + timedelta(hours=2)}


def test_one_round_no_second_counter_and_no_counter_back():
    anna, hans, job, offer, counter = countered()
    again = Api(anna).post(f"/offers/{offer.pk}/counter", {"price_minor": 6000})
    assert_problem(again, 409, code="already_countered")
    change = {"price_minor": 8000, **later(job)}
    assert_problem(Api(hans).post(f"/offers/{offer.pk}/change", change), 409, code="countered")
    Api(hans).post(f"/counters/{counter['id']}/accept", {})
    agreed = Offer.objects.get(request=job, status=OfferStatus.PENDING)
    # The agreed offer is not countered again, nor changed by the helper.
    assert_problem(
        Api(anna).post(f"/offers/{agreed.pk}/counter", {"price_minor": 5000}),
        409,
        code="already_countered",
    )
    assert_problem(Api(hans).post(f"/offers/{agreed.pk}/change", change), 409, code="countered")
    assert Offer.objects.filter(request=job, status=OfferStatus.PENDING).get().price_minor == 7000


def test_withdrawing_ends_the_offer_tells_the_customer_and_no_new_offer_follows():
    anna, hans, job, offer, counter = countered()
    response = Api(hans).post(f"/counters/{counter['id']}/withdraw", {})
    assert response.data["status"] == "withdrawn", response.data
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN
    assert Notification.objects.filter(user=anna).count() == 1
    body = {"price_minor": 8000, **later(job)}
    assert_problem(Api(hans).post(f"/requests/{job.pk}/offers", body), 409, code="countered")
    assert_problem(Api(hans).post(f"/counters/{counter['id']}/accept", {}), 409)


def test_booking_another_offer_meanwhile_lapses_the_counter():
    anna, hans, job, _offer, counter = countered()
    mia = make_helper(email="mia@example.com")
    other = make_offer(mia, job, hours_in=4)
    offer_accept(actor=anna, offer_id=other.pk)
    assert Counter.objects.get().status == "lapsed"
    assert_problem(
        Api(hans).post(f"/counters/{counter['id']}/accept", {}), 409, code="illegal_state"
    )
    assert not Offer.objects.filter(request=job, helper=hans, status=OfferStatus.PENDING).exists()


def test_booking_the_countered_offer_at_its_own_terms_lapses_the_counter():
    anna, _hans, job, offer, _counter = countered()
    offer_accept(actor=anna, offer_id=offer.pk)
    assert Api(anna).get(f"/requests/{job.pk}/counters").data[0]["status"] == "lapsed"


def test_a_counter_expires_after_48_hours(settings: Any):
    anna = make_customer()
    hans = make_helper()
    job = make_request(anna, days=5)
    offer = make_offer(hans, job)
    counter = counter_make(actor=anna, offer_id=offer.pk, price_minor=8000)
    assert counter.expires_at - counter.created_at == timedelta(hours=48)
    Counter.objects.filter(pk=counter.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict) as refused:
        counter_accept(actor=hans, counter_id=counter.pk)
    assert refused.value.code == "counter_expired"
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING  # as it was


def test_a_counter_soon_expires_when_its_time_comes():
    anna, hans = make_customer(), make_helper()
    job = make_request(anna, days=1)
    offer = make_offer(hans, job)
    counter = counter_make(actor=anna, offer_id=offer.pk, price_minor=8000)
    assert counter.expires_at == offer.proposed_start


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"price_minor": 0}, 422, "price_out_of_range"),
        ({"price_minor": 10_000_001}, 422, "price_out_of_range"),
        ({"price_minor": 9000}, 422, "counter_unchanged"),
        ({"price_minor": -5}, 422, None),
    ],
)
def test_bad_prices_are_refused_and_nothing_is_stored(body: dict[str, Any], status: int, code):
    anna, hans = make_customer(), make_helper()
    job = make_request(anna)
    offer = make_offer(hans, job, price=9000)
    assert_problem(Api(anna).post(f"/offers/{offer.pk}/counter", body), status, code=code)
    assert not Counter.objects.exists()


def test_the_time_must_lie_in_the_window_and_the_helpers_hours():
    anna, hans = make_customer(), make_helper()
    job = make_request(anna)
    offer = make_offer(hans, job)
    api = Api(anna)
    outside = later(job, hours_in=-4)
    assert_problem(api.post(f"/offers/{offer.pk}/counter", outside), 422, field="proposed_start")
    local = timezone.localtime(job.window_start)
    weekly_slots_set(actor=hans, slots=[(local.weekday(), time(0), time(local.hour + 2))])
    late = api.post(f"/offers/{offer.pk}/counter", later(job, hours_in=3))
    assert_problem(late, 422, code="helper_outside_hours")
    assert not Counter.objects.exists()


def test_only_the_customer_counters_and_only_the_helper_answers():
    anna, hans, _job, offer, counter = countered()
    assert_problem(Api(hans).post(f"/offers/{offer.pk}/counter", {"price_minor": 1}), 403)
    assert_problem(Api(anna).post(f"/counters/{counter['id']}/accept", {}), 403)
    stranger = make_customer(email="otto@example.com")
    assert_problem(Api(stranger).post(f"/counters/{counter['id']}/accept", {}), 404)
    assert Counter.objects.get().status == "open"


def test_the_helper_cannot_accept_a_time_they_got_booked_for_meanwhile():
    anna, hans = make_customer(), make_helper()
    job = make_request(anna)
    offer = make_offer(hans, job)
    counter = counter_make(actor=anna, offer_id=offer.pk, **_times(job, 4))
    other_job = make_request(make_customer(email="b@example.com"))
    other = offer_accept_at(hans, other_job, job.window_start + timedelta(hours=5))
    assert other.helper_id == hans.pk
    with pytest.raises(Conflict) as refused:
        counter_accept(actor=hans, counter_id=counter.pk)
    assert refused.value.code == "helper_double_booked"
    assert Counter.objects.get().status == "open"  # nothing changed


def offer_accept_at(helper: Any, job: Any, start: Any) -> Any:
    from quartier.bookings.services import offer_create

    offer = offer_create(
        actor=helper,
        request_id=job.pk,
        price_minor=5000,
        proposed_start=start,
        proposed_end=start + timedelta(hours=1),
    )
    return offer_accept(actor=job.customer, offer_id=offer.pk)


def test_after_a_counter_expired_unanswered_the_helper_may_change_their_offer():
    anna, hans, job, offer, counter = countered()
    Counter.objects.filter(pk=counter["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    change = {"price_minor": 8000, **later(job)}
    changed = Api(hans).post(f"/offers/{offer.pk}/change", change)
    assert changed.status_code == 201, changed.data
    live = Offer.objects.get(request=job, helper=hans, status=OfferStatus.PENDING)
    assert live.price_minor == 8000
    # Still one round: the customer does not counter the new offer.
    again = Api(anna).post(f"/offers/{live.pk}/counter", {"price_minor": 7500})
    assert_problem(again, 409, code="already_countered")


def test_after_a_counter_lapsed_the_helper_offers_again_when_the_request_reopens():
    anna, hans, job, _offer, counter = countered()
    mia = make_helper(email="mia@example.com")
    booking = offer_accept(actor=anna, offer_id=make_offer(mia, job, hours_in=4).pk)
    assert Counter.objects.get(pk=counter["id"]).status == "lapsed"
    booking_cancel(actor=mia, booking_id=booking.pk, reason="ill")  # back to dispatch
    body = {"price_minor": 8500, **later(job)}
    again = Api(hans).post(f"/requests/{job.pk}/offers", body)
    assert again.status_code == 201, again.data
    assert (
        Offer.objects.get(request=job, helper=hans, status=OfferStatus.PENDING).price_minor == 8500
    )


def test_an_expired_counter_is_stored_so_and_the_customer_is_told_once():
    anna, _hans, job, offer, counter = countered()

    assert counters_expire() == 0  # not due yet
    past = timezone.now() - timedelta(seconds=1)
    Counter.objects.filter(pk=counter["id"]).update(expires_at=past)
    assert counters_expire() == 1
    assert counters_expire() == 0  # once
    stored = Counter.objects.get(pk=counter["id"])
    assert (stored.status, stored.closed_at) == ("expired", past)
    (told,) = Notification.objects.filter(user=anna)
    assert "abgelaufen" in told.title.lower()  # Anna reads German
    assert told.url == f"/requests/{job.pk}"
    listed = Api(anna).get(f"/requests/{job.pk}/counters").data
    assert listed[0]["status"] == "expired"
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PENDING  # stands as it was
