"""The people API (quartier/api/people.py): registering, logging in, profiles.

Bad input is a 4xx problem+json naming the field, never a 500, and changes nothing (each
test compares a snapshot of the marketplace's tables).
"""

from __future__ import annotations

from typing import Any

import pytest

from quartier.accounts.models import ProProfile, User
from tests.api_checks import assert_problem, snapshot
from tests.conftest import PASSWORD
from tests.factories import (
    make_helper,
)

pytestmark = pytest.mark.django_db


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
        pytest.param({"email": "eva-at-example.com"}, "bad_email", "email", id="email-no-at"),
        pytest.param({"email": "eva@"}, "bad_email", "email", id="email-no-domain"),
        pytest.param({"email": ""}, "bad_email", "email", id="email-empty"),
        pytest.param({"password": "kurz"}, "weak_password", "password", id="password-short"),
        pytest.param({"password": "12345678901"}, "weak_password", "password", id="numeric"),
        pytest.param({"password": "password123"}, "weak_password", "password", id="common"),
        pytest.param({"roles": ["admin"]}, "invalid", "roles.0", id="unknown-role"),
        pytest.param({"roles": []}, "invalid", "roles", id="no-role"),
        pytest.param({"full_name": "   "}, "name_missing", "full_name", id="blank-name"),
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
        pytest.param(
            {"service_radius_km": 101}, "radius_out_of_range", "service_radius_km", id="radius-101"
        ),
        pytest.param({"service_radius_km": 5000}, "invalid", "service_radius_km", id="r-5000"),
        pytest.param({"hourly_rate_minor": 0}, "invalid", "hourly_rate_minor", id="rate-0"),
        pytest.param({"languages": ["deutsch"]}, "bad_language_code", "languages", id="language"),
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
    body = assert_problem(response, 422, code="bad_uid", field="uid")
    assert "CHE-123.456.789" in body["errors"]["uid"][0]
