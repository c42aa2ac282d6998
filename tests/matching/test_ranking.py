"""Ranking: what customers see first, and why; what helpers learn when they are not shown."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from quartier.accounts.services import helper_suspend
from quartier.bookings.availability import availability_exception_add, weekly_slots_set
from quartier.matching.engine import MatchQuery, rank
from quartier.matching.models import MatchIndex
from quartier.matching.ranking import bayesian_mean, index_quality, ranking_params, review_weight
from tests.factories import make_booking, make_customer, make_helper, make_request, play_visit

pytestmark = pytest.mark.django_db


def index_update(helper, **fields):
    """Overwrite ranking inputs of the helper's index rows, with the quality they imply."""
    for row in MatchIndex.objects.filter(helper=helper):
        for name, value in fields.items():
            setattr(row, name, value)
        row.quality = index_quality(
            rating_mean=row.rating_mean,
            reliability_share=row.reliability,
            response_minutes=row.response_minutes,
            completed_jobs=row.completed_jobs,
            params=ranking_params(),
        )
        row.save()


def test_one_five_star_review_does_not_beat_forty_at_four_point_eight():
    params = ranking_params()
    one_perfect = bayesian_mean(5.0, 1.0, params)
    forty_great = bayesian_mean(4.8 * 40, 40.0, params)
    assert forty_great > one_perfect


def test_old_reviews_weigh_less_than_recent_ones():
    params = ranking_params()
    assert review_weight(0, params) == 1.0
    assert review_weight(365, params) == pytest.approx(0.5)
    assert review_weight(730, params) < review_weight(365, params)


def test_the_better_rated_of_two_equally_near_helpers_comes_first(customer):
    a = make_helper(email="a@example.com", postcode="8004")
    b = make_helper(email="b@example.com", postcode="8004")
    index_update(a, rating_mean=4.9, review_count=40, completed_jobs=40)
    index_update(b, rating_mean=4.3, review_count=1, completed_jobs=40)
    request = make_request(customer, postcode="8004")
    matches = api_matches(customer, request)
    assert [m["helper_id"] for m in matches] == [a.pk, b.pk]


def api_matches(customer, request):
    from tests.conftest import Api

    response = Api(customer).get(f"/requests/{request.pk}/matches")
    assert response.status_code == 200, response.data
    return response.data


def test_matches_carry_score_parts_and_an_explanation(customer, helper):
    request = make_request(customer)
    (match,) = api_matches(customer, request)
    assert match["helper_id"] == helper.pk
    assert match["explanation"].startswith(f"{match['distance_km']:.1f} km away · ")
    assert "new in TV & set-top box" in match["explanation"]
    parts = match["score"]
    summed = sum(v for k, v in parts.items() if k != "total")
    assert parts["total"] == pytest.approx(summed, abs=1e-3)
    assert parts["exploration"] > 0  # new helpers get the (bounded) boost


def test_explanation_names_rating_reviews_and_answer_time(api_as, customer, helper):
    booking = make_booking(customer, helper)
    play_visit(booking)
    api_as(customer).post(f"/bookings/{booking.pk}/reviews", {"rating": 5})
    api_as(helper).post(f"/bookings/{booking.pk}/reviews", {"rating": 5})  # both in: published
    request = make_request(make_customer(email="c2@example.com"))
    (match,) = api_matches(request.customer, request)
    assert "5.0 in TV & set-top box from 1 review" in match["explanation"]
    assert "usually answers within" in match["explanation"]


def test_suspended_helpers_vanish_from_matches_at_once(customer, helper, admin_user):
    request = make_request(customer)
    assert len(api_matches(customer, request)) == 1
    helper_suspend(actor=admin_user, helper_id=helper.pk, reason="complaints")
    assert api_matches(customer, request) == []


def test_helper_away_on_holiday_is_not_matched(customer, helper):
    request = make_request(customer)
    availability_exception_add(
        actor=helper,
        starts_at=request.window_start - timedelta(days=1),
        ends_at=request.window_end + timedelta(days=1),
        reason="Ferien",
    )
    assert api_matches(customer, request) == []


def test_helper_working_other_weekdays_is_not_matched(customer, helper):
    request = make_request(customer, days=2)
    other_day = (request.window_start.weekday() + 3) % 7
    weekly_slots_set(actor=helper, slots=[(other_day, time(8), time(18))])
    assert api_matches(customer, request) == []


def test_equal_helpers_take_turns_at_the_top(customer):
    twins = {make_helper(email=f"twin{i}@example.com", postcode="8004").pk for i in range(2)}
    firsts = set()
    for _ in range(12):
        request = make_request(customer, postcode="8004")
        firsts.add(api_matches(customer, request)[0]["helper_id"])
    assert firsts == twins


def test_exploration_boost_is_bounded(customer):
    veteran = make_helper(email="vet@example.com", postcode="8004")
    newcomer = make_helper(email="new@example.com", postcode="8004")
    index_update(veteran, rating_mean=4.9, review_count=60, completed_jobs=60, response_minutes=10)
    request = make_request(customer, postcode="8004")
    ranked = api_matches(customer, request)
    assert [m["helper_id"] for m in ranked] == [veteran.pk, newcomer.pk]
    assert ranked[1]["score"]["exploration"] <= ranking_params()["w_exploration"]


def test_why_not_says_outside_radius_and_taken(api_as, customer, helper):
    far = make_helper(email="far@example.com", postcode="8400", radius_km=5)  # Winterthur
    request = make_request(customer)
    from quartier.bookings.services import offer_create

    # The far helper offered before narrowing the radius, so can still see the request.
    _radius(far, 50)
    offer_create(
        actor=far,
        request_id=request.pk,
        price_minor=5000,
        proposed_start=request.window_start,
        proposed_end=request.window_start + timedelta(hours=1),
    )
    _radius(far, 5)
    reasons = api_as(far).get(f"/requests/{request.pk}/why-not").data
    assert [r["code"] for r in reasons] == ["outside_radius"]
    assert "beyond your 5 km service radius" in reasons[0]["message"]
    make_offer_and_book(customer, helper, request)
    codes = [r["code"] for r in api_as(far).get(f"/requests/{request.pk}/why-not").data]
    assert codes[0] == "taken"


def _radius(helper, km):
    """The helper sets their service radius (profile and match index follow)."""
    from quartier.accounts.models import HelperProfile
    from quartier.matching.services import match_index_refresh

    HelperProfile.objects.filter(user=helper).update(service_radius_km=km)
    match_index_refresh(helper_id=helper.pk)


def make_offer_and_book(customer, helper, request):
    from quartier.bookings.services import offer_accept
    from tests.factories import make_offer

    offer_accept(actor=customer, offer_id=make_offer(helper, request, hours_in=2).pk)


def test_why_not_is_empty_for_a_matched_helper(api_as, customer, helper):
    request = make_request(customer)
    assert api_as(helper).get(f"/requests/{request.pk}/why-not").data == []


def test_ranking_is_described_in_plain_words(anon):
    body = anon.get("/ranking").data
    assert "declining or ignoring an invitation never lowers" in body["description"]
    assert body["parameters"]["w_distance"] > 0


def test_engine_honours_exclusions_and_limit(customer):
    helpers = [make_helper(email=f"h{i}@example.com", postcode="8004") for i in range(4)]
    request = make_request(customer, postcode="8004")
    query = MatchQuery(
        skill_id=request.skill_id,
        latitude=request.latitude,
        longitude=request.longitude,
        limit=2,
        exclude_helper_ids={helpers[0].pk},
    )
    ranked = rank(query)
    assert len(ranked) == 2
    assert helpers[0].pk not in {c.helper_id for c in ranked}
