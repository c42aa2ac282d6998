"""The public directory: full-text search (SQLite FTS5 / PostgreSQL) with filters, listings
that follow profiles, and public profile pages."""

from __future__ import annotations

import pytest

from quartier.accounts.services import helper_profile_upsert, helper_reinstate, helper_suspend
from tests.factories import make_booking, make_customer, make_helper, play_visit, review_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(db):
    """Three helpers: a TV helper in Zürich, a cleaner in Zürich, a furniture helper in Basel."""
    tv = make_helper(email="tv@example.com", full_name="Jonas Keller", postcode="8004")
    clean = make_helper(
        email="clean@example.com", full_name="Mara Brun", postcode="8003", skills=["cleaning"]
    )
    basel = make_helper(
        email="moebel@example.com",
        full_name="Lea Müller",
        postcode="4051",
        skills=["furniture-assembly"],
        rate_minor=3500,
    )
    return {"tv": tv, "clean": clean, "basel": basel}


def ids(response):
    return [hit["helper_id"] for hit in response.data]


def test_words_find_skills_in_either_language_names_and_places(anon, crowd):
    assert ids(anon.get("/helpers?q=Reinigung")) == [crowd["clean"].pk]  # German skill name
    assert ids(anon.get("/helpers?q=cleaning")) == [crowd["clean"].pk]  # English
    assert ids(anon.get("/helpers?q=möbel basel")) == [crowd["basel"].pk]  # every word, prefix
    assert ids(anon.get("/helpers?q=mueller")) == [crowd["basel"].pk]  # umlaut spellings fold
    assert ids(anon.get("/helpers?q=muller")) == [crowd["basel"].pk]
    assert set(ids(anon.get("/helpers?q=zürich"))) == {crowd["tv"].pk, crowd["clean"].pk}
    assert ids(anon.get("/helpers?q=zurich tv")) == [crowd["tv"].pk]
    assert ids(anon.get("/helpers?q=plumbing")) == []


def test_query_syntax_in_the_words_is_harmless(anon, crowd):
    for words in ['"', "tv*", "a OR b", "NEAR(x y)", "tv & clean | !x", "'; DROP TABLE x; --"]:
        response = anon.get(f"/helpers?q={words}")
        assert response.status_code == 200, words


def test_filters_distance_skill_rating_and_price(anon, crowd):
    near_zurich = anon.get("/helpers?country=CH&postcode=8004&within_km=10&sort=distance").data
    assert [h["helper_id"] for h in near_zurich] == [crowd["tv"].pk, crowd["clean"].pk]
    assert near_zurich[0]["distance_km"] < near_zurich[1]["distance_km"] <= 10
    assert ids(anon.get("/helpers?skill=furniture-assembly")) == [crowd["basel"].pk]
    assert ids(anon.get("/helpers?max_rate_minor=4000")) == [crowd["basel"].pk]
    assert ids(anon.get("/helpers?min_rating=4")) == []  # nobody has reviews yet
    bad = anon.get("/helpers?country=CH&postcode=99999")
    assert bad.status_code == 422


def test_a_good_review_lifts_a_helper_and_the_listing_follows_the_profile(anon, crowd, customer):
    booking = make_booking(customer, crowd["tv"])
    play_visit(booking.pk)
    review_published(customer, booking_id=booking.pk, rating=5, text="Great")
    rated = anon.get("/helpers?min_rating=4.5").data
    assert [(h["helper_id"], h["rating_count"]) for h in rated] == [(crowd["tv"].pk, 1)]
    # Moving to Bern: found there now, no longer near Zürich.
    helper_profile_upsert(
        actor=crowd["tv"],
        country="CH",
        postcode="3011",
        service_radius_km=10,
        hourly_rate_minor=4500,
    )
    assert crowd["tv"].pk not in ids(anon.get("/helpers?country=CH&postcode=8004&within_km=10"))
    assert ids(anon.get("/helpers?q=bern")) == [crowd["tv"].pk]


def test_suspended_helpers_are_not_listed_until_the_suspension_is_lifted(anon, crowd):
    operator = make_customer(email="ops@example.com", is_staff=True)
    helper_suspend(actor=operator, helper_id=crowd["clean"].pk, reason="complaints")
    assert ids(anon.get("/helpers?q=cleaning")) == []
    assert anon.get(f"/helpers/{crowd['clean'].pk}").status_code == 200  # the profile stays
    helper_reinstate(actor=operator, helper_id=crowd["clean"].pk)
    assert ids(anon.get("/helpers?q=cleaning")) == [crowd["clean"].pk]
