"""The customer edits an open request; invited helpers and helpers who offered are told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from quartier.bookings.models import Offer, OfferStatus
from quartier.dispatch.models import Dispatch
from quartier.dispatch.services import dispatch_first_wave, dispatch_for_request
from quartier.dispatch.terms import DispatchTerms
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.jobs.services import request_cancel
from quartier.notifications.models import Notification
from tests.api_checks import assert_problem
from tests.conftest import Api
from tests.factories import make_customer, make_helper, make_offer, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_request() -> dict[str, Any]:
    """Anna's request; Hans and Mia invited; Hans offered (1 h into the window, 2 h long)."""
    anna = make_customer(email="anna@example.com")
    hans = make_helper(email="hans@example.com", postcode="8003")
    mia = make_helper(email="mia@example.com", postcode="8003", preferred_language="de")
    job = make_request(anna)
    dispatch_first_wave(request_id=job.pk)
    offer = make_offer(hans, job)
    Notification.objects.all().delete()
    return {"anna": anna, "hans": hans, "mia": mia, "job": job, "offer": offer}


def test_the_customer_changes_title_budget_and_window_and_helpers_are_told(open_request):
    anna, hans, mia, job = (open_request[k] for k in ("anna", "hans", "mia", "job"))
    later = job.window_start + timedelta(days=1)
    response = Api(anna).patch(
        f"/requests/{job.pk}",
        {
            "title": "TV box and soundbar",
            "budget_minor": 12000,
            "window_start": later.isoformat(),
            "window_end": (later + timedelta(hours=6)).isoformat(),
        },
    )
    assert response.status_code == 200, response.data
    assert response.data["title"] == "TV box and soundbar"
    assert response.data["budget_minor"] == 12000
    # Both helpers hear it; Hans's offer no longer fits and he is asked to change it.
    told = {n.user_id: n.title for n in Notification.objects.all()}
    assert set(told) == {hans.pk, mia.pk}
    assert told[mia.pk] == "Anfrage geändert: TV box and soundbar"
    offers = Api(anna).get(f"/requests/{job.pk}/offers").data
    assert [(o["status"], o["outside_window"]) for o in offers] == [("pending", True)]
    # The trail says what changed, and who.
    event = RequestEvent.objects.filter(request=job).latest("pk")
    assert (event.actor_id, event.note) == (anna.pk, "changed: budget_minor, title, window")


def test_an_offer_that_still_fits_is_not_flagged_and_nothing_changed_tells_nobody(open_request):
    anna, job = open_request["anna"], open_request["job"]
    api = Api(anna)
    assert api.patch(f"/requests/{job.pk}", {"title": job.title}).status_code == 200
    assert not Notification.objects.exists()
    assert api.patch(f"/requests/{job.pk}", {"description": "Also the remote."}).status_code == 200
    assert Notification.objects.count() == 2
    assert [o["outside_window"] for o in api.get(f"/requests/{job.pk}/offers").data] == [False]


def test_the_street_address_may_change_but_not_the_postcode(open_request):
    anna, job = open_request["anna"], open_request["job"]
    api = Api(anna)
    moved = api.patch(f"/requests/{job.pk}", {"street_address": "Badenerstrasse 14"})
    assert moved.status_code == 200
    assert not Notification.objects.exists()  # no helper sees the street before booking
    body = assert_problem(
        api.patch(f"/requests/{job.pk}", {"postcode": "3011"}), 422, code="address_fixed"
    )
    assert "post a new one" in body["errors"]["postcode"][0]
    assert JobRequest.objects.get(pk=job.pk).postcode == "8004"


def test_bad_changes_are_refused_and_leave_the_request_as_it_was(open_request):
    anna, job = open_request["anna"], open_request["job"]
    api = Api(anna)
    before = JobRequest.objects.values().get(pk=job.pk)
    reversed_window = {"window_end": (job.window_start - timedelta(hours=1)).isoformat()}
    assert_problem(api.patch(f"/requests/{job.pk}", reversed_window), 422, field="window_end")
    assert_problem(api.patch(f"/requests/{job.pk}", {"title": "   "}), 422, field="title")
    assert JobRequest.objects.values().get(pk=job.pk) == before


def test_no_changes_once_an_offer_is_accepted_or_the_request_is_closed(open_request):
    anna, job, offer = open_request["anna"], open_request["job"], open_request["offer"]
    api = Api(anna)
    assert api.post(f"/offers/{offer.pk}/accept", {}).status_code in (200, 201)
    body = assert_problem(
        api.patch(f"/requests/{job.pk}", {"title": "New"}), 409, code="request_not_editable"
    )
    assert "an offer is accepted" in body["detail"]
    other = make_request(anna, days=5)
    request_cancel(actor=anna, request_id=other.pk)
    assert_problem(api.patch(f"/requests/{other.pk}", {"title": "New"}), 409)
    assert JobRequest.objects.get(pk=job.pk).title == job.title


def test_only_the_customer_edits(open_request):
    job, hans = open_request["job"], open_request["hans"]
    assert_problem(Api(hans).patch(f"/requests/{job.pk}", {"title": "Mine now"}), 403)
    stranger = make_customer(email="otto@example.com")
    assert_problem(Api(stranger).patch(f"/requests/{job.pk}", {"title": "Mine now"}), 404)
    assert JobRequest.objects.get(pk=job.pk).title == job.title
    assert Offer.objects.get(pk=open_request["offer"].pk).status == OfferStatus.PENDING


def test_a_job_on_fixed_terms_is_not_changed_by_the_customer(open_request):
    anna = open_request["anna"]
    fixed = make_request(anna, days=6)
    Dispatch.objects.filter(request=fixed).delete()  # a partner's fixed-price job instead
    dispatch_for_request(
        request_id=fixed.pk, terms=DispatchTerms(mode="fixed_price", fixed_price_minor=8900)
    )
    body = assert_problem(
        Api(anna).patch(f"/requests/{fixed.pk}", {"title": "New"}), 409, code="fixed_terms"
    )
    assert "partner" in body["detail"]
    assert JobRequest.objects.get(pk=fixed.pk).title == fixed.title
    assert not RequestEvent.objects.filter(request=fixed, note__startswith="changed").exists()
