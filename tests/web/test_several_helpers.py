"""A request for several helpers or visits on the web (English and German) and through the
API: posting, the places on the customer's and helpers' pages, the shared conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.bookings.services import offer_accept
from quartier.jobs.models import JobRequest
from quartier.messaging.models import TeamMessage
from quartier.notifications.kinds import Kind
from quartier.notifications.models import Notification
from tests.factories import make_helper, make_offer, make_request
from tests.web.test_customer import posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def move(customer):
    """Anna's move for two: Hans and Otto are booked, Petra offered but was not chosen."""
    job = make_request(customer, helpers_needed=2)
    movers = [
        make_helper(email=f"{n}@example.com", full_name=f"{n.title()} Muster", postcode="8003")
        for n in ("hans", "otto", "petra")
    ]
    offers = [make_offer(m, job, hours_in=1 + i) for i, m in enumerate(movers)]
    for offer in offers[:2]:
        offer_accept(actor=customer, offer_id=offer.pk)
    return job, movers


def test_posting_a_move_for_two_helpers_on_the_web(browser_as, customer):
    response = browser_as(customer).post("/requests/new", posting(helpers_needed="2"))
    job = JobRequest.objects.get()
    assert response["Location"] == f"/requests/{job.pk}"
    assert job.helpers_needed == 2
    html = browser_as(customer).get(response["Location"]).content.decode()
    assert "0 of 2 helpers booked" in html


def test_posting_a_garden_over_three_days_on_the_web(browser_as, customer):
    first = timezone.localtime() + timedelta(days=2)
    days = [(first + timedelta(days=d)).strftime("%Y-%m-%d") for d in (1, 3)]
    data = posting(also_on_1=days[0], also_on_2=days[1])
    browser_as(customer).post("/requests/new", data)
    job = JobRequest.objects.get()
    visits = list(job.visits.all())
    assert [v.number for v in visits] == [1, 2, 3]
    assert all(timezone.localtime(v.starts_at).hour == 9 for v in visits)
    assert job.window_end == visits[-1].ends_at


def test_asking_for_both_helpers_and_visits_is_a_friendly_form_error(browser_as, customer):
    tomorrow_plus = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%d")
    data = posting(helpers_needed="2", also_on_1=tomorrow_plus)
    html = browser_as(customer, "de").post("/requests/new", data).content.decode()
    assert not JobRequest.objects.exists()
    assert "Frag entweder nach mehreren Helfer" in html


def test_the_customer_sees_both_places_and_the_shared_conversation(browser_as, customer, move):
    job, (_hans, _otto, _) = move
    html = browser_as(customer).get(f"/requests/{job.pk}").content.decode()
    assert "2 of 2 helpers booked" in html
    assert "Helper 1: " in html
    assert "Helper 2: " in html
    assert "Conversation with everyone on this job" in html
    german = browser_as(customer, "de").get(f"/requests/{job.pk}").content.decode()
    assert "2 von 2 Helfer:innen gebucht" in german


def test_a_message_to_the_team_reaches_everyone_booked_and_no_one_else(browser_as, customer, move):
    job, (hans, otto, petra) = move
    response = browser_as(hans).post(
        f"/requests/{job.pk}/team-messages", {"body": "I bring the trolley."}
    )
    assert response["Location"] == f"/helper/requests/{job.pk}"
    assert TeamMessage.objects.get().body == "I bring the trolley."
    told = Notification.objects.filter(kind=Kind.MESSAGE).values_list("user_id", flat=True)
    assert sorted(told) == sorted([customer.pk, otto.pk])
    page = browser_as(otto).get(f"/helper/requests/{job.pk}").content.decode()
    assert "I bring the trolley." in page
    assert (
        "I bring the trolley."
        not in browser_as(petra).get(f"/helper/requests/{job.pk}").content.decode()
    )
    assert (
        browser_as(petra).post(f"/requests/{job.pk}/team-messages", {"body": "Me too?"}).status_code
        == 404
    )
    assert TeamMessage.objects.count() == 1


def test_the_api_posts_a_move_and_reads_the_shared_conversation(api_as, customer, move):
    job, (hans, *_) = move
    api = api_as(customer)
    start = timezone.now() + timedelta(days=3)
    body = {
        "skill": "tv-set-top-box",
        "title": "Garden",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=2)).isoformat(),
        "visits": [
            {
                "starts_at": (start + timedelta(days=d)).isoformat(),
                "ends_at": (start + timedelta(days=d, hours=5)).isoformat(),
            }
            for d in (0, 2)
        ],
    }
    created = api.post("/requests", body)
    assert created.status_code == 201, created.content
    assert [v["number"] for v in created.json()["visits"]] == [1, 2]
    bad = api.post("/requests", body | {"helpers_needed": 2})
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["code"] == "helpers_and_visits"
    sent = api_as(hans).post(f"/requests/{job.pk}/team-messages", {"body": "Ready at 8."})
    assert sent.status_code == 201
    thread = api.get(f"/requests/{job.pk}/team-messages").json()
    assert [m["body"] for m in thread] == ["Ready at 8."]
    one_helper = make_request(customer)
    assert api.get(f"/requests/{one_helper.pk}/team-messages").status_code == 404
    assert Booking.objects.filter(request=job).count() == 2
