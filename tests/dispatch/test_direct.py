"""Choosing a helper: invite them, their answer, Book now, Book again (through the API)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartier.bookings.availability import availability_exception_add
from quartier.bookings.models import Booking, Offer
from quartier.catalog.services import helper_skill_prices_set
from quartier.dispatch.models import Dispatch, Invitation
from quartier.jobs.models import JobRequest
from quartier.matching.models import MatchIndex
from quartier.notifications.models import Notification
from tests.conftest import Api
from tests.factories import make_customer, make_helper, make_request, play_visit, window

pytestmark = pytest.mark.django_db


def fixed_price(helper, price=12000, minutes=120, skill="tv-set-top-box"):
    helper_skill_prices_set(
        actor=helper,
        skill=skill,
        hourly_rate_minor=None,
        fixed_price_minor=price,
        fixed_duration_minutes=minutes,
    )


@pytest.fixture
def anna():
    return make_customer(email="anna@example.com", full_name="Anna Muster")


@pytest.fixture
def hans():
    return make_helper(email="hans@example.com", full_name="Hans Meier", postcode="8003")


def open_counter(helper) -> int:
    return sum(MatchIndex.objects.filter(helper=helper).values_list("open_invitations", flat=True))


def test_the_chosen_helper_is_invited_told_and_answers_at_their_price(anna, hans):
    job = make_request(anna)
    answer = Api(anna).post(f"/requests/{job.pk}/invitations", {"helper_id": hans.pk})
    assert answer.status_code == 201, answer.data
    assert answer.data["status"] == "open"
    assert answer.data["helper_name"] == "Hans Meier"
    titles = Notification.objects.filter(user=hans, kind="invitation").values_list("title")
    # In the helper's language (German unless they chose otherwise), naming who chose them.
    assert [t for (t,) in titles if t.startswith("Anna lädt dich ein: TV box shows no picture")]
    # The helper sees it first among their invitations, with their own price.
    mine = Api(hans).get("/invitations").data
    direct = [i for i in mine if i["request_id"] == job.pk]
    assert direct[0]["source"] == "direct"
    assert direct[0]["your_hourly_rate_minor"] == 4500

    offer = Api(hans).post(f"/invitations/{answer.data['id']}/offer")
    assert offer.status_code == 201, offer.data
    # Hourly rate for the standard job (2 hours): 90.00.
    assert offer.data["price_minor"] == 9000
    listed = Api(anna).get(f"/requests/{job.pk}/invitations").data
    assert listed[0]["status"] == "accepted"
    # The customer books it as any other offer.
    booked = Api(anna).post(f"/offers/{offer.data['id']}/accept", {})
    assert booked.status_code in (200, 201), booked.data
    assert Booking.objects.get(request=job).helper == hans


def test_a_helper_may_answer_with_another_price_and_time(anna, hans):
    job = make_request(anna)
    invitation = Api(anna).post(f"/requests/{job.pk}/invitations", {"helper_id": hans.pk}).data
    start = job.window_start + timedelta(hours=3)
    answer = Api(hans).post(
        f"/invitations/{invitation['id']}/offer",
        {"price_minor": 7000, "proposed_start": start.isoformat()},
    )
    assert answer.status_code == 201, answer.data
    offer = Offer.objects.get(pk=answer.data["id"])
    assert offer.price_minor == 7000
    assert offer.proposed_start == start


def test_declining_a_direct_invitation_costs_nothing_and_keeps_counters(anna, hans):
    job = make_request(anna)
    before = open_counter(hans)
    invitation = Api(anna).post(f"/requests/{job.pk}/invitations", {"helper_id": hans.pk}).data
    assert open_counter(hans) == before  # the customer's choice is not a wave's share
    declined = Api(hans).post(f"/invitations/{invitation['id']}/decline")
    assert declined.status_code == 200, declined.data
    assert open_counter(hans) == before
    again = Api(anna).post(f"/requests/{job.pk}/invitations", {"helper_id": hans.pk})
    assert again.status_code == 409
    assert again.data["code"] == "invitation_declined"


def test_a_helper_who_does_not_serve_the_request_cannot_be_invited(anna):
    far = make_helper(email="far@example.com", postcode="3011", radius_km=5)
    job = make_request(anna)
    answer = Api(anna).post(f"/requests/{job.pk}/invitations", {"helper_id": far.pk})
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.data["code"] == "helper_cannot_serve"
    assert not Invitation.objects.filter(helper=far).exists()


def test_a_request_posted_for_one_helper_invites_nobody_else(anna, hans):
    other = make_helper(email="otto@example.com", postcode="8004")
    start, end = window(3)
    body = {
        "skill": "tv-set-top-box",
        "title": "Mount the TV box",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "invite_helper_id": hans.pk,
    }
    posted = Api(anna).post("/requests", body)
    assert posted.status_code == 201, posted.data
    dispatch = Dispatch.objects.get(request_id=posted.data["id"])
    assert dispatch.next_wave_at is None  # no waves
    helpers = set(dispatch.invitations.values_list("helper_id", flat=True))
    assert helpers == {hans.pk}
    assert other.pk not in helpers


def test_book_now_books_the_helper_at_their_fixed_price_in_one_step(anna, hans):
    fixed_price(hans, price=12000, minutes=90)
    job = make_request(anna)
    matches = Api(anna).get(f"/requests/{job.pk}/matches").data
    assert matches[0]["fixed_price_minor"] == 12000
    start = job.window_start + timedelta(hours=1)
    answer = Api(anna).post(
        f"/requests/{job.pk}/book-now", {"helper_id": hans.pk, "starts_at": start.isoformat()}
    )
    assert answer.status_code == 201, answer.data
    booking = Booking.objects.get(pk=answer.data["id"])
    assert booking.price_minor == 12000
    assert booking.ends_at - booking.starts_at == timedelta(minutes=90)
    assert JobRequest.objects.get(pk=job.pk).state == "booked"


def test_book_now_needs_a_fixed_price_and_a_free_slot(anna, hans):
    job = make_request(anna)
    start = job.window_start + timedelta(hours=1)
    body = {"helper_id": hans.pk, "starts_at": start.isoformat()}
    refused = Api(anna).post(f"/requests/{job.pk}/book-now", body)
    assert refused.status_code == 409
    assert refused.data["code"] == "no_fixed_price"
    fixed_price(hans)
    availability_exception_add(actor=hans, starts_at=start, ends_at=start + timedelta(hours=1))
    busy = Api(anna).post(f"/requests/{job.pk}/book-now", body)
    assert busy.status_code == 409
    assert busy.data["code"] == "helper_not_free"
    assert not Booking.objects.filter(request=job).exists()
    assert not Offer.objects.filter(request=job).exists()


def test_book_again_starts_a_new_request_for_the_same_helper(anna, hans):
    job = make_request(anna, description="The red cable again.")
    invited = Api(anna).post(f"/requests/{job.pk}/invitations", {"helper_id": hans.pk}).data
    offer = Api(hans).post(f"/invitations/{invited['id']}/offer").data
    Api(anna).post(f"/offers/{offer['id']}/accept", {})
    booking = Booking.objects.get(request=job)
    play_visit(booking)
    start, end = window(9)
    body = {"window_start": start.isoformat(), "window_end": end.isoformat()}
    answer = Api(anna).post(f"/bookings/{booking.pk}/book-again", body)
    assert answer.status_code == 201, answer.data
    new = JobRequest.objects.get(pk=answer.data["request_id"])
    assert (new.skill_id, new.street_address, new.description) == (
        job.skill_id,
        job.street_address,
        "The red cable again.",
    )
    assert answer.data["invitation"]["helper_id"] == hans.pk
    # With a fixed price, booked at once.
    fixed_price(hans, price=9900)
    body["starts_at"] = (start + timedelta(hours=2)).isoformat()
    booked = Api(anna).post(f"/bookings/{booking.pk}/book-again", body)
    assert booked.status_code == 201, booked.data
    assert booked.data["booking"]["price_minor"] == 9900


def test_only_a_completed_booking_is_booked_again(anna, hans):
    job = make_request(anna)
    fixed_price(hans)
    start = job.window_start + timedelta(hours=1)
    booked = (
        Api(anna)
        .post(
            f"/requests/{job.pk}/book-now", {"helper_id": hans.pk, "starts_at": start.isoformat()}
        )
        .data
    )
    s, e = window(9)
    body = {"window_start": s.isoformat(), "window_end": e.isoformat()}
    answer = Api(anna).post(f"/bookings/{booked['id']}/book-again", body)
    assert answer.status_code == 409
    assert answer.data["code"] == "booking_not_completed"
    assert JobRequest.objects.filter(customer=anna).count() == 1
