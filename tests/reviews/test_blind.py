"""Blind reviews: neither side sees the other's review, and nothing derived from it (scores,
ranking inputs, the partner's case.rated) moves, until both are in or 14 days have passed
since completion; then both are published and the booking closes. Reply once; report."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.reviews.models import Direction, ReviewReport, SkillRating
from quartier.reviews.publication import reviews_tick
from quartier.reviews.selectors import helper_skill_scores, user_score
from quartier.reviews.services import review_create
from tests.factories import make_booking, make_customer, play_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(customer, helper) -> Booking:
    booking = make_booking(customer, helper)
    return play_visit(booking)  # checked in, out and signed off


def _browser(user) -> Client:
    client = Client(headers={"accept-language": "de"})
    client.force_login(user)
    return client


def _state(api, booking: Booking) -> str:
    return str(api.get(f"/bookings/{booking.pk}").data["state"])


def _helper_score(helper) -> tuple[int, int]:
    score = user_score(user_id=helper.pk, direction=Direction.CUSTOMER_TO_HELPER)
    return score.count, score.total


def test_a_review_is_hidden_and_moves_nothing_until_the_other_is_in(
    api_as, anon, customer, helper, done
):
    created = api_as(customer).post(f"/bookings/{done.pk}/reviews", {"rating": 2, "text": "Late"})
    assert created.status_code == 201
    assert created.data["published_at"] is None
    events_deliver()
    # The helper sees no review on the booking page nor on their public profile.
    page = _browser(helper).get(reverse("web:booking_detail", args=[done.pk]))
    assert page.status_code == 200
    assert "Late" not in page.content.decode()
    assert anon.get(f"/helpers/{helper.pk}/reviews").data == []
    assert _helper_score(helper) == (0, 0)
    assert helper_skill_scores(helper_id=helper.pk) == {}
    assert not SkillRating.objects.exists()  # what ranking reads
    assert not DomainEvent.objects.filter(kind="review.created").exists()
    assert _state(api_as(customer), done) == "completed"

    back = api_as(helper).post(f"/bookings/{done.pk}/reviews", {"rating": 4})
    assert back.status_code == 201
    assert back.data["published_at"] is not None
    [public] = anon.get(f"/helpers/{helper.pk}/reviews").data
    assert (public["rating"], public["text"], public["skill_ratings"]) == (
        2,
        "Late",
        [{"skill": "tv-set-top-box", "rating": 2}],
    )
    assert _helper_score(helper) == (1, 2)
    assert user_score(user_id=customer.pk, direction=Direction.HELPER_TO_CUSTOMER).count == 1
    assert DomainEvent.objects.filter(kind="review.created").count() == 2
    assert _state(api_as(customer), done) == "closed"


def test_the_tick_publishes_a_lone_review_after_14_days_and_closes_the_booking(
    api_as, anon, customer, helper, done
):
    review_create(actor=customer, booking_id=done.pk, rating=5, text="Top")
    with time_machine.travel(done.completed_at + timedelta(days=13, hours=23), tick=False):
        assert reviews_tick() == ""
        assert anon.get(f"/helpers/{helper.pk}/reviews").data == []
        assert _helper_score(helper) == (0, 0)
    with time_machine.travel(done.completed_at + timedelta(days=14, minutes=1), tick=False):
        assert "1 reviews published" in reviews_tick()
        assert reviews_tick() == ""  # idempotent: nothing left to do
    assert [r["text"] for r in anon.get(f"/helpers/{helper.pk}/reviews").data] == ["Top"]
    assert _helper_score(helper) == (1, 5)
    assert helper_skill_scores(helper_id=helper.pk)["tv-set-top-box"].count == 1
    assert _state(api_as(customer), done) == "closed"
    # The window is over: the helper can no longer write a review.
    late = api_as(helper).post(f"/bookings/{done.pk}/reviews", {"rating": 3})
    assert late.status_code == 409
    assert late.data["code"] == "not_completed"


def test_a_booking_nobody_reviewed_closes_when_the_window_ends(api_as, customer, done):
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        assert reviews_tick() == "1 review windows ended, 0 reviews published"
    assert _state(api_as(customer), done) == "closed"


def test_a_second_review_is_409_already_reviewed_even_while_blind(api_as, customer, done):
    client = api_as(customer)
    assert client.post(f"/bookings/{done.pk}/reviews", {"rating": 5}).status_code == 201
    again = client.post(f"/bookings/{done.pk}/reviews", {"rating": 1})
    assert again.status_code == 409
    assert again.data["code"] == "already_reviewed"
    assert list(done.reviews.values_list("rating", flat=True)) == [5]


def _published_pair(api_as, customer, helper, booking) -> int:
    review_id = api_as(customer).post(f"/bookings/{booking.pk}/reviews", {"rating": 3}).data["id"]
    api_as(helper).post(f"/bookings/{booking.pk}/reviews", {"rating": 5})
    return int(review_id)


def test_the_reviewed_helper_replies_once(api_as, anon, customer, helper, done):
    review_id = _published_pair(api_as, customer, helper, done)
    assert api_as(customer).post(f"/reviews/{review_id}/reply", {"text": "Me?"}).status_code == 403
    first = api_as(helper).post(f"/reviews/{review_id}/reply", {"text": "Sorry, traffic."})
    assert first.status_code == 201
    second = api_as(helper).post(f"/reviews/{review_id}/reply", {"text": "Edited"})
    assert second.status_code == 409
    assert second.data["code"] == "already_replied"
    [public] = anon.get(f"/helpers/{helper.pk}/reviews").data
    assert public["reply"] == "Sorry, traffic."


def test_no_reply_to_a_review_still_blind(api_as, customer, helper, done):
    review_id = api_as(customer).post(f"/bookings/{done.pk}/reviews", {"rating": 3}).data["id"]
    response = api_as(helper).post(f"/reviews/{review_id}/reply", {"text": "What?"})
    assert response.status_code == 404


def test_a_reported_review_waits_for_the_operators_who_can_hide_it(
    api_as, anon, customer, helper, done, admin_user
):
    review_id = _published_pair(api_as, customer, helper, done)
    own = api_as(customer).post(f"/reviews/{review_id}/reports", {"reason": "oops"})
    assert own.status_code == 403
    reported = api_as(helper).post(f"/reviews/{review_id}/reports", {"reason": "Not true"})
    assert reported.status_code == 201
    assert reported.data["status"] == "open"
    again = api_as(helper).post(f"/reviews/{review_id}/reports", {"reason": "Still"})
    assert again.status_code == 409
    outsider = make_customer(email="other@example.com")
    assert (
        api_as(outsider).post(f"/reviews/{review_id}/reports", {"reason": "x"}).status_code == 201
    )

    back_office = _browser(admin_user)
    page = back_office.get("/admin/reviews/reviewreport/?status__exact=open")
    assert page.status_code == 200
    assert "Not true" in page.content.decode()
    report = ReviewReport.objects.get(reason="Not true")
    back_office.post(
        "/admin/reviews/reviewreport/",
        {"action": "uphold", "_selected_action": [report.pk]},
    )
    assert set(ReviewReport.objects.values_list("status", flat=True)) == {"upheld"}
    assert anon.get(f"/helpers/{helper.pk}/reviews").data == []
