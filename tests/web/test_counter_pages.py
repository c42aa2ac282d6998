"""Counter-offers on the web: the customer counters from the request page (German), the
helper accepts or withdraws on theirs; bad input is a form error, not a stored counter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from quartier.bookings.counter_models import Counter
from quartier.bookings.counters import counter_make
from quartier.bookings.models import Offer, OfferStatus
from tests.factories import make_customer, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


def local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _job() -> tuple[Any, Any, Any, Offer]:
    anna = make_customer(email="anna@example.com", preferred_language="de")
    hans = make_helper(email="hans@example.com", full_name="Hans Meier")
    job = make_request(anna)
    return anna, hans, job, make_offer(hans, job, price=9000)


def test_the_customer_counters_from_the_request_page_in_german(browser_as: Any) -> None:
    anna, _hans, job, offer = _job()
    browser = browser_as(anna, "de")
    page = browser.get(f"/requests/{job.pk}").content.decode()
    assert f"/offers/{offer.pk}/counter" in page
    assert "Gegenangebot" in page
    form = browser.get(f"/offers/{offer.pk}/counter")
    assert "Gegenangebot" in form.content.decode()
    assert 'name="price"' in form.content.decode()
    start = offer.proposed_start
    body = {
        "price": "70.00",
        "proposed_start": local(start),
        "proposed_end": local(start + timedelta(hours=2)),
        "message": "Geht es günstiger?",
    }
    sent = browser.post(f"/offers/{offer.pk}/counter", body, follow=True)
    text = sent.content.decode()
    assert "Dein Gegenangebot" in text, text[-3000:]
    assert Counter.objects.get().price_minor == 7000
    assert f"/offers/{offer.pk}/counter" not in text  # one round


def test_a_bad_counter_is_a_form_error_and_nothing_is_stored(browser_as: Any) -> None:
    anna, _hans, job, offer = _job()
    start = job.window_start - timedelta(hours=5)
    body = {
        "price": "70.00",
        "proposed_start": local(start),
        "proposed_end": local(start + timedelta(hours=2)),
    }
    response = browser_as(anna, "de").post(f"/offers/{offer.pk}/counter", body)
    assert response.status_code == 200
    assert "Zeitfenster" in response.content.decode()
    assert not Counter.objects.exists()


def test_only_the_requests_customer_sees_the_counter_form(browser_as: Any) -> None:
    _anna, hans, _request, offer = _job()
    assert browser_as(hans).get(f"/offers/{offer.pk}/counter").status_code == 404
    stranger = make_customer(email="otto@example.com")
    assert browser_as(stranger).get(f"/offers/{offer.pk}/counter").status_code == 404


def test_the_helper_accepts_on_their_page_and_the_customer_books(browser_as: Any) -> None:
    anna, hans, job, offer = _job()
    counter = counter_make(actor=anna, offer_id=offer.pk, price_minor=7500)
    helper = browser_as(hans)
    page = helper.get(f"/helper/requests/{job.pk}").content.decode()
    assert "counter-offer" in page
    assert f"/helper/counters/{counter.pk}/accept" in page
    assert "Send the changed offer" not in page  # no counter back
    done = helper.post(f"/helper/counters/{counter.pk}/accept", follow=True)
    assert "You accepted the counter-offer" in done.content.decode()
    agreed = Offer.objects.get(request=job, status=OfferStatus.PENDING)
    assert agreed.price_minor == 7500
    customer_page = browser_as(anna, "de").get(f"/requests/{job.pk}").content.decode()
    assert f"/offers/{agreed.pk}/accept" in customer_page


def test_the_helper_withdraws_instead(browser_as: Any) -> None:
    anna, hans, job, offer = _job()
    counter = counter_make(actor=anna, offer_id=offer.pk, price_minor=5000)
    helper = browser_as(hans, "de")
    done = helper.post(f"/helper/counters/{counter.pk}/withdraw", follow=True)
    assert done.status_code == 200
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.WITHDRAWN
    again = helper.post(f"/helper/counters/{counter.pk}/accept", follow=True)
    assert Offer.objects.filter(request=job, status=OfferStatus.PENDING).count() == 0
    assert again.status_code == 200
