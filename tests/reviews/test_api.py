"""The reviews API: ratings 1 to 5 for skills used on the job, once per party, only after the
work is completed; a refused review changes nothing."""

from __future__ import annotations

import pytest

from quartier.bookings.models import Booking
from tests.api_checks import assert_problem, snapshot
from tests.factories import (
    arrive,
    make_booking,
    play_visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed_booking(customer, helper) -> Booking:
    booking = make_booking(customer, helper)
    return play_visit(booking.pk)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        pytest.param({"rating": 6}, "invalid", "rating", id="rating-6"),
        pytest.param({"rating": 0}, "invalid", "rating", id="rating-0"),
        pytest.param({"rating": 4.5}, "invalid", "rating", id="rating-fraction"),
        pytest.param({"rating": "five"}, "invalid", "rating", id="rating-word"),
        pytest.param({}, "invalid", "rating", id="rating-missing"),
        pytest.param(
            {"rating": 5, "skill_ratings": [{"skill": "tv-set-top-box", "rating": 6}]},
            "invalid",
            "skill_ratings.0.rating",
            id="skill-rating-6",
        ),
        pytest.param(
            {"rating": 5, "skill_ratings": [{"skill": "dragon-taming", "rating": 5}]},
            "unknown_skill",
            "skill_ratings.0.skill",
            id="unknown-skill",
        ),
        pytest.param(
            {"rating": 5, "skill_ratings": [{"skill": "cleaning", "rating": 5}]},
            "skill_not_used",
            "skill_ratings.0.skill",
            id="skill-not-used",
        ),
    ],
)
def test_review_refuses_bad_ratings(api_as, customer, completed_booking, body, code, field):
    client = api_as(customer)
    before = snapshot()
    response = client.post(f"/bookings/{completed_booking.pk}/reviews", body)
    assert_problem(response, 422, code=code, field=field)
    assert snapshot() == before
    assert client.get(f"/bookings/{completed_booking.pk}").data["state"] == "completed"
    # Nothing was lost either: a correct review still goes through afterwards.
    assert (
        client.post(f"/bookings/{completed_booking.pk}/reviews", {"rating": 5}).status_code == 201
    )


def test_each_party_reviews_once(api_as, customer, helper):
    booking = make_booking(customer, helper)
    arrive(booking)
    api_as(helper).post(f"/bookings/{booking.pk}/start")
    api_as(helper).post(f"/bookings/{booking.pk}/complete")
    client = api_as(customer)
    assert client.post(f"/bookings/{booking.pk}/sign-off").status_code == 200
    assert client.post(f"/bookings/{booking.pk}/reviews", {"rating": 5}).status_code == 201
    again = client.post(f"/bookings/{booking.pk}/reviews", {"rating": 1})
    assert again.status_code == 409
    assert again.data["code"] == "already_reviewed"
    assert list(booking.reviews.values_list("rating", flat=True)) == [5]


def test_cannot_review_before_completion(api_as, customer, helper):
    booking = make_booking(customer, helper)
    response = api_as(customer).post(f"/bookings/{booking.pk}/reviews", {"rating": 5})
    assert response.status_code == 409
    assert response.data["code"] == "not_completed"
    assert not booking.reviews.exists()
