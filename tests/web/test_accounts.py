"""Signing up (as customer, helper or both), logging in with the e-mail, logging out."""

from __future__ import annotations

import pytest

from quartier.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Eva Beispiel",
    "email": "Eva@Example.com",
    "phone": "+41 79 555 66 77",
    "password": PASSWORD,
    "roles": ["customer"],
}


def test_a_customer_signs_up_and_lands_on_posting_a_request(browser_as):
    client = browser_as()
    form = client.get("/signup").content.decode()
    assert 'name="roles" value="customer"' in form
    assert 'autocomplete="new-password"' in form
    response = client.post("/signup", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/requests/new"
    user = User.objects.get(email="eva@example.com")
    assert user.roles == ["customer"]
    assert user.phone == "+41 79 555 66 77"
    assert user.check_password(PASSWORD)
    welcome = client.get("/requests/new").content.decode()
    assert "Welcome to Quartier, Eva!" in welcome  # logged in, greeted


def test_a_helper_signs_up_and_starts_onboarding(browser_as):
    client = browser_as()
    assert (
        'value="helper" id="id_roles_1" checked'
        in client.get("/signup?role=helper").content.decode()
    )
    response = client.post("/signup", SIGNUP | {"roles": ["customer", "helper"]})
    assert response["Location"] == "/helper/onboarding"
    assert User.objects.get().roles == ["customer", "helper"]


def test_signup_in_german_remembers_the_language(browser_as):
    browser_as(language="de").post("/signup", SIGNUP)
    assert User.objects.get().preferred_language == "de"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password": "12345678"}, "password", "This password is too common."),
        ({"roles": []}, "roles", "Choose at least one."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"full_name": ""}, "full_name", "This field is required."),
    ],
)
def test_bad_signups_explain_what_to_fix_and_create_nobody(browser_as, change, field, message):
    response = browser_as().post("/signup", SIGNUP | change)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check what you entered." in html
    assert f'id="id_{field}_error"' in html or field == "roles"
    assert message in html
    assert not User.objects.exists()


def test_a_taken_email_is_not_told_and_changes_nothing(browser_as, customer):
    response = browser_as().post("/signup", SIGNUP | {"email": customer.email}, follow=True)
    html = response.content.decode()
    assert "exists already" not in html
    assert "If this e-mail address has an account already, we sent it an e-mail." in html
    assert User.objects.count() == 1


def test_errors_are_german_for_german_visitors(browser_as):
    html = browser_as(language="de").post("/signup", SIGNUP | {"roles": []})
    assert "Wähle mindestens eines aus." in html.content.decode()


def test_log_in_with_email_then_log_out(browser_as, customer):
    client = browser_as()
    page = client.get("/login").content.decode()
    assert '<label for="id_username">E-mail:</label>' in page
    response = client.post("/login", {"username": customer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/me"
    assert "Hallo Anna" in client.get("/me").content.decode()  # Anna's language is German
    assert client.get("/logout").status_code == 405  # log-out is a POST (a button)
    assert client.post("/logout")["Location"] == "/"
    assert client.get("/me").status_code == 302


def test_logging_in_switches_the_site_to_the_members_language(browser_as, customer):
    customer.preferred_language = "de"
    customer.save(update_fields=["preferred_language"])
    client = browser_as(language="en")  # an English browser
    client.post("/login", {"username": customer.email, "password": PASSWORD})
    assert '<html lang="de">' in client.get("/me").content.decode()


def test_log_in_follows_next(browser_as, customer):
    response = browser_as().post(
        "/login?next=/requests",
        {"username": customer.email, "password": PASSWORD, "next": "/requests"},
    )
    assert response["Location"] == "/requests"


def test_a_wrong_password_is_refused_politely(browser_as, customer):
    response = browser_as().post("/login", {"username": customer.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct email and password" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
