"""Bad input through the API: a 4xx problem+json naming the field, never a 500, no change.

Every test takes a snapshot of the marketplace's tables before the bad call and checks the
database is exactly as it was afterwards.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from quartier.accounts.models import ApiToken, HelperProfile, ProProfile, StaffMember, User
from quartier.bookings.models import Booking, Offer
from quartier.bookings.services import booking_complete, booking_start
from quartier.catalog.models import HelperSkill
from quartier.jobs.models import JobRequest, RequestEvent
from quartier.reviews.models import Review, SkillRating
from tests.conftest import PASSWORD
from tests.factories import make_booking, make_helper, make_request, window

pytestmark = pytest.mark.django_db


TABLES = [
    User,
    HelperProfile,
    HelperSkill,
    ProProfile,
    StaffMember,
    JobRequest,
    RequestEvent,
    Offer,
    Booking,
    Review,
    SkillRating,
]


def snapshot() -> dict[str, Any]:
    """Every row of the marketplace's tables, plus how many API tokens exist."""
    rows: dict[str, Any] = {m.__name__: list(m.objects.order_by("pk").values()) for m in TABLES}
    rows["ApiToken"] = ApiToken.objects.count()  # last_used_at moves on every call
    return rows


def assert_problem(response, status: int, *, code: str | None = None, field: str | None = None):
    """A problem+json body with the status, a message, the code and the field's messages."""
    assert response.status_code == status, response.data
    assert response["Content-Type"] == "application/problem+json"
    body = response.data
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert len(body["detail"]) > 5
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["errors"], body["errors"]
        assert all(isinstance(m, str) and m for m in body["errors"][field])
    return body


# --- registration and login ---------------------------------------------------------------


def registration(**changes: Any) -> dict[str, Any]:
    return {
        "email": "eva@example.com",
        "password": PASSWORD,
        "full_name": "Eva Beispiel",
        "roles": ["customer"],
    } | changes


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        pytest.param({"email": "eva-at-example.com"}, "invalid", "email", id="email-no-at"),
        pytest.param({"email": "eva@"}, "invalid", "email", id="email-no-domain"),
        pytest.param({"email": ""}, "invalid", "email", id="email-empty"),
        pytest.param({"password": "kurz"}, "weak_password", "password", id="password-short"),
        pytest.param({"password": "12345678901"}, "weak_password", "password", id="numeric"),
        pytest.param({"password": "password123"}, "weak_password", "password", id="common"),
        pytest.param({"roles": ["admin"]}, "invalid", "roles.0", id="unknown-role"),
        pytest.param({"roles": []}, "invalid", "roles", id="no-role"),
        pytest.param({"full_name": "   "}, "invalid", "full_name", id="blank-name"),
        pytest.param({"preferred_language": "fr"}, "invalid", "preferred_language", id="lang"),
    ],
)
def test_register_refuses_bad_input(anon, changes, code, field):
    before = snapshot()
    response = anon.post("/auth/register", registration(**changes))
    assert_problem(response, 422, code=code, field=field)
    assert snapshot() == before


def test_register_weak_password_says_why(anon):
    body = assert_problem(
        anon.post("/auth/register", registration(password="kurz")), 422, field="password"
    )
    assert any("short" in message for message in body["errors"]["password"])


@pytest.mark.parametrize("email", ["anna@example.com", "  Anna@Example.COM "])
def test_register_with_a_taken_email_answers_like_a_new_one_and_changes_nothing(
    anon, customer, email
):
    before = snapshot()
    taken = anon.post("/auth/register", registration(email=email))
    assert snapshot() == before
    assert User.objects.get(email="anna@example.com").full_name == "Anna Muster"
    new = anon.post("/auth/register", registration(email="new@example.com"))
    assert taken.status_code == new.status_code == 201
    assert taken.data.keys() == new.data.keys()
    assert taken.data["detail"] == new.data["detail"]


@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("anna@example.com", "wrong horse battery staple", id="wrong-password"),
        pytest.param("nobody@example.com", PASSWORD, id="unknown-email"),
        pytest.param("anna@example.com", "", id="empty-password"),
    ],
)
def test_login_with_wrong_credentials_is_401(anon, customer, email, password):
    before = snapshot()
    response = anon.post("/auth/login", {"email": email, "password": password})
    body = assert_problem(response, 401, code="bad_credentials")
    # The same message either way: nobody learns which e-mail addresses have accounts.
    assert body["detail"] == "E-mail or password is wrong."
    assert "token" not in body
    assert snapshot() == before
    customer.refresh_from_db()
    assert customer.last_login is None


# --- helper profile, skills and pro profile ---------------------------------------------


def profile(**changes: Any) -> dict[str, Any]:
    return {
        "country": "CH",
        "postcode": "8003",
        "service_radius_km": 10,
        "hourly_rate_minor": 4500,
        "accept_contractor_terms": True,
    } | changes


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        pytest.param({"postcode": "9999"}, "unknown_postcode", "postcode", id="unknown-ch"),
        pytest.param(
            {"country": "DE", "postcode": "00000"}, "unknown_postcode", "postcode", id="unknown-de"
        ),
        pytest.param({"postcode": "80031"}, "bad_postcode", "postcode", id="5-digits-for-ch"),
        pytest.param({"country": "DE", "postcode": "8003"}, "bad_postcode", "postcode", id="4-de"),
        pytest.param({"postcode": "80a3"}, "bad_postcode", "postcode", id="letters"),
        pytest.param({"country": "FR"}, "invalid", "country", id="country-fr"),
        pytest.param({"service_radius_km": 0}, "invalid", "service_radius_km", id="radius-0"),
        pytest.param({"service_radius_km": -5}, "invalid", "service_radius_km", id="radius-neg"),
        pytest.param({"service_radius_km": 101}, "invalid", "service_radius_km", id="radius-101"),
        pytest.param({"service_radius_km": 5000}, "invalid", "service_radius_km", id="r-5000"),
        pytest.param({"hourly_rate_minor": 0}, "invalid", "hourly_rate_minor", id="rate-0"),
        pytest.param({"languages": ["deutsch"]}, "invalid", "languages", id="language"),
    ],
)
def test_helper_profile_refuses_bad_input_and_keeps_the_old_profile(
    api_as, helper, changes, code, field
):
    client = api_as(helper)
    before = snapshot()
    response = client.put("/me/helper-profile", profile(**changes))
    assert_problem(response, 422, code=code, field=field)
    assert snapshot() == before
    kept = client.get("/me/helper-profile").data
    assert (kept["postcode"], kept["service_radius_km"]) == ("8003", 10)


def test_unknown_postcode_message_names_the_postcode(api_as, helper):
    response = api_as(helper).put("/me/helper-profile", profile(postcode="9999"))
    body = assert_problem(response, 422, code="unknown_postcode", field="postcode")
    assert "9999" in body["errors"]["postcode"][0]


def test_radius_above_the_maximum_says_the_maximum(api_as, helper, settings):
    response = api_as(helper).put("/me/helper-profile", profile(service_radius_km=101))
    body = assert_problem(response, 422, field="service_radius_km")
    assert f"{settings.QUARTIER_MAX_SERVICE_RADIUS_KM} km" in body["errors"]["service_radius_km"][0]


@pytest.mark.parametrize(
    ("skills", "code", "field"),
    [
        pytest.param(
            [{"skill": "dragon-taming", "level": "expert"}],
            "unknown_skill",
            "skills.0.skill",
            id="unknown-slug",
        ),
        pytest.param(
            [
                {"skill": "internet-wlan", "level": "basic"},
                {"skill": "tv-box", "level": "basic"},
            ],
            "unknown_skill",
            "skills.1.skill",
            id="second-unknown",
        ),
        pytest.param(
            [{"skill": "internet-wlan", "level": "guru"}], "invalid", "skills.0.level", id="level"
        ),
    ],
)
def test_skills_refuse_unknown_slugs_and_keep_the_old_skills(api_as, helper, skills, code, field):
    client = api_as(helper)
    before = snapshot()
    response = client.put("/me/skills", {"skills": skills})
    body = assert_problem(response, 422, code=code, field=field)
    if code == "unknown_skill":
        assert "Unknown skill" in body["errors"][field][0]
    assert snapshot() == before
    declared = helper.helper_skills.values_list("skill__slug", flat=True)
    assert sorted(declared) == ["internet-wlan", "tv-set-top-box"]


@pytest.fixture
def pro(db: None) -> User:
    return make_helper(email="sauber@example.com", postcode="8004", is_pro=True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"uid": "CHE-123"}, "uid", id="uid-short"),
        pytest.param({"uid": "CHE-123-456-789"}, "uid", id="uid-dashes"),
        pytest.param({"uid": "DE12345"}, "uid", id="ust-id-short"),
        pytest.param({"uid": "123.456.789"}, "uid", id="uid-no-prefix"),
        pytest.param({"company_name": " "}, "company_name", id="no-company"),
        pytest.param(
            {"staff": [{"full_name": "Ida Muster", "email": "ida@"}]}, "staff.0.email", id="staff"
        ),
    ],
)
def test_pro_profile_refuses_a_bad_uid(api_as, pro, changes, field):
    client = api_as(pro)
    before = snapshot()
    body = {"company_name": "Sauber & Co.", "uid": "CHE-123.456.789", "staff": []} | changes
    response = client.put("/me/pro-profile", body)
    assert_problem(response, 422, field=field)
    assert snapshot() == before
    assert not ProProfile.objects.exists()


def test_pro_profile_uid_message_shows_the_formats(api_as, pro):
    response = api_as(pro).put("/me/pro-profile", {"company_name": "Sauber", "uid": "CHE-1"})
    body = assert_problem(response, 422, code="invalid", field="uid")
    assert "CHE-123.456.789" in body["errors"]["uid"][0]


# --- requests -----------------------------------------------------------------------------


def request_body(**changes: Any) -> dict[str, Any]:
    start, end = window(days=3)
    return {
        "skill": "tv-set-top-box",
        "title": "TV box shows no picture",
        "description": "HDMI?",
        "country": "CH",
        "postcode": "8004",
        "street_address": "Badenerstrasse 12",
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "budget_minor": 12000,
    } | changes


def _iso(days: float) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


IN_3_DAYS = _iso(3)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        pytest.param(
            {"window_start": _iso(3), "window_end": _iso(2)}, "invalid", "window_end", id="reversed"
        ),
        pytest.param(
            {"window_start": IN_3_DAYS, "window_end": IN_3_DAYS},
            "invalid",
            "window_end",
            id="empty",
        ),
        pytest.param(
            {"window_start": _iso(-3), "window_end": _iso(-2)}, "invalid", "window_end", id="past"
        ),
        pytest.param(
            {"window_start": _iso(3), "window_end": _iso(90)}, "invalid", "window_end", id="long"
        ),
        pytest.param(
            {"window_start": _iso(400), "window_end": _iso(401)},
            "invalid",
            "window_start",
            id="too-far-ahead",
        ),
        pytest.param(
            {"window_start": "2031-05-04T09:00:00"}, "invalid", "window_start", id="naive-start"
        ),
        pytest.param(
            {"window_end": "2031-05-04T17:00:00"}, "invalid", "window_end", id="naive-end"
        ),
        pytest.param({"window_start": "tomorrow"}, "invalid", "window_start", id="not-a-date"),
        pytest.param({"skill": "dragon-taming"}, "unknown_skill", "skill", id="unknown-skill"),
        pytest.param({"skill": 7}, "invalid", "skill", id="skill-number"),
        pytest.param({"postcode": "9999"}, "unknown_postcode", "postcode", id="unknown-postcode"),
        pytest.param({"postcode": "80040"}, "bad_postcode", "postcode", id="5-digit-ch"),
        pytest.param({"country": "AT"}, "invalid", "country", id="country"),
        pytest.param({"budget_minor": "a lot"}, "invalid", "budget_minor", id="budget-string"),
        pytest.param({"budget_minor": 99.5}, "invalid", "budget_minor", id="budget-fraction"),
        pytest.param({"budget_minor": -100}, "invalid", "budget_minor", id="budget-negative"),
        pytest.param({"budget_minor": [12000]}, "invalid", "budget_minor", id="budget-list"),
        pytest.param({"title": ""}, "invalid", "title", id="empty-title"),
        pytest.param({"title": "x" * 121}, "invalid", "title", id="long-title"),
        pytest.param({"title": "   "}, "invalid", "title", id="blank-title"),
        pytest.param({"street_address": "  "}, "invalid", "street_address", id="blank-address"),
    ],
)
def test_request_refuses_bad_input(api_as, customer, changes, code, field):
    client = api_as(customer)
    before = snapshot()
    response = client.post("/requests", request_body(**changes))
    assert_problem(response, 422, code=code, field=field)
    assert snapshot() == before


def test_request_window_messages_say_what_is_wrong(api_as, customer):
    client = api_as(customer)
    reversed_ = client.post("/requests", request_body(window_start=_iso(3), window_end=_iso(2)))
    assert "end after it starts" in reversed_.data["errors"]["window_end"][0]
    past = client.post("/requests", request_body(window_start=_iso(-3), window_end=_iso(-2)))
    assert "future" in past.data["errors"]["window_end"][0]
    naive = client.post("/requests", request_body(window_start="2031-05-04T09:00:00"))
    assert "timezone" in naive.data["errors"]["window_start"][0]


@pytest.mark.parametrize(
    "missing", ["skill", "title", "country", "postcode", "street_address", "window_start"]
)
def test_request_missing_a_required_field_names_it(api_as, customer, missing):
    body = request_body()
    del body[missing]
    client = api_as(customer)
    before = snapshot()
    response = client.post("/requests", body)
    assert_problem(response, 422, code="invalid", field=missing)
    assert snapshot() == before


def test_request_with_nothing_names_every_required_field(api_as, customer):
    client = api_as(customer)
    before = snapshot()
    body = assert_problem(client.post("/requests", {}), 422, code="invalid")
    required = {"skill", "title", "country", "postcode", "street_address"}
    assert required | {"window_start", "window_end"} <= set(body["errors"])
    assert "description" not in body["errors"]
    assert "budget_minor" not in body["errors"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("{not json", id="garbage"),
        pytest.param('{"skill": "tv-set-top-box",}', id="trailing-comma"),
        pytest.param(b"\xff\xfe\x00", id="binary"),
    ],
)
def test_malformed_json_body_is_a_400_naming_the_body(api_as, customer, raw):
    client = api_as(customer)
    before = snapshot()
    response = client._call("post", "/requests", raw)
    body = assert_problem(response, 400, field="body")
    assert "not valid JSON" in body["detail"]
    assert snapshot() == before


def test_empty_body_is_reported_against_the_body(api_as, customer):
    client = api_as(customer)
    before = snapshot()
    response = client._call("post", "/requests", "")
    assert_problem(response, 422, code="invalid", field="body")
    assert "payload" not in response.data["errors"]  # the handler's argument name stays inside
    assert snapshot() == before


def test_ids_out_of_range_are_404_not_500(api_as, customer):
    client = api_as(customer)
    huge = 10**30
    assert_problem(client.get(f"/requests/{huge}"), 404, code="not_found")
    assert_problem(client.get(f"/bookings/{huge}"), 404, code="not_found")
    assert_problem(client.post(f"/offers/{huge}/accept"), 404, code="not_found")


# --- offers -------------------------------------------------------------------------------


def offer_body(request, *, start_hours: float = 1, hours: float = 2, **changes: Any):
    start = request.window_start + timedelta(hours=start_hours)
    return {
        "price_minor": 9000,
        "proposed_start": start.isoformat(),
        "proposed_end": (start + timedelta(hours=hours)).isoformat(),
    } | changes


@pytest.mark.parametrize(
    ("timing", "changes", "fields"),
    [
        pytest.param({}, {"price_minor": 0}, {"price_minor"}, id="price-0"),
        pytest.param({}, {"price_minor": -9000}, {"price_minor"}, id="price-negative"),
        pytest.param({}, {"price_minor": 10_000_001}, {"price_minor"}, id="price-huge"),
        pytest.param({}, {"price_minor": "cheap"}, {"price_minor"}, id="price-string"),
        pytest.param({"start_hours": -2}, {}, {"proposed_start"}, id="starts-before-window"),
        pytest.param(
            {"start_hours": 7}, {}, {"proposed_start", "proposed_end"}, id="ends-after-window"
        ),
        pytest.param({"start_hours": 24 * 5}, {}, {"proposed_start"}, id="days-later"),
        pytest.param({"hours": -1}, {}, {"proposed_end"}, id="ends-before-start"),
        pytest.param({}, {"proposed_start": "2031-05-04T09:00:00"}, {"proposed_start"}, id="naive"),
    ],
)
def test_offer_refuses_bad_price_or_time(api_as, customer, helper, timing, changes, fields):
    request = make_request(customer)  # window: in two days, 8 hours long
    client = api_as(helper)
    before = snapshot()
    body = offer_body(request, **timing) | changes
    response = client.post(f"/requests/{request.pk}/offers", body)
    body = assert_problem(response, 422)
    assert fields & set(body["errors"]), body["errors"]
    assert snapshot() == before
    assert JobRequest.objects.get(pk=request.pk).state == "requested"


def test_offer_outside_the_window_says_so(api_as, customer, helper):
    request = make_request(customer)
    response = api_as(helper).post(
        f"/requests/{request.pk}/offers", offer_body(request, start_hours=-2)
    )
    body = assert_problem(response, 422, field="proposed_start")
    assert "window" in body["errors"]["proposed_start"][0]


# --- reviews ------------------------------------------------------------------------------


@pytest.fixture
def completed_booking(customer, helper) -> Booking:
    booking = make_booking(customer, helper)
    booking_start(actor=helper, booking_id=booking.pk)
    return booking_complete(actor=helper, booking_id=booking.pk)


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
            "invalid",
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
