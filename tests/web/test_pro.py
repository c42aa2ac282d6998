"""Pros (small businesses): company data and staff."""

from __future__ import annotations

import pytest

from quartier.accounts.models import ProProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPANY = {
    "company_name": "Putz & Glanz GmbH",
    "uid": "che-123.456.789",
    "staff-TOTAL_FORMS": "2",
    "staff-INITIAL_FORMS": "0",
    "staff-0-full_name": "Mara Meier",
    "staff-0-email": "mara@putz.example",
    "staff-1-full_name": "",
    "staff-1-email": "",
}


@pytest.fixture
def pro(db):
    return UserFactory(email="pro@putz.example", is_helper=True, is_pro=True)


def test_a_pro_saves_company_data_and_staff(browser_as, pro):
    client = browser_as(pro)
    assert "Company profile" in client.get("/pro/company").content.decode()
    response = client.post("/pro/company", COMPANY)
    assert response["Location"] == "/pro/company"
    profile = ProProfile.objects.get(user=pro)
    assert (profile.company_name, profile.uid) == ("Putz & Glanz GmbH", "CHE-123.456.789")
    assert [(s.full_name, s.email) for s in profile.staff.all()] == [
        ("Mara Meier", "mara@putz.example")
    ]
    page = client.get("/pro/company").content.decode()
    assert "Your company profile is saved." in page
    assert 'value="Mara Meier"' in page


def test_removing_a_staff_member(browser_as, pro):
    client = browser_as(pro)
    client.post("/pro/company", COMPANY)
    client.post(
        "/pro/company",
        COMPANY | {"staff-INITIAL_FORMS": "1", "staff-0-DELETE": "on"},
    )
    assert not ProProfile.objects.get(user=pro).staff.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"uid": "12345"}, "Use a Swiss UID (CHE-123.456.789) or a German VAT ID (DE123456789)."),
        ({"company_name": ""}, "This field is required."),
        ({"staff-0-full_name": ""}, "Each staff member needs a name."),
        ({"staff-0-email": "mara-at-putz"}, "Enter a valid email address."),
    ],
)
def test_bad_company_data_is_explained_and_nothing_saved(browser_as, pro, change, message):
    response = browser_as(pro).post("/pro/company", COMPANY | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProProfile.objects.exists()


def test_a_german_vat_id_in_german(browser_as, pro):
    client = browser_as(pro, "de")
    assert "Firmenprofil" in client.get("/pro/company").content.decode()
    client.post("/pro/company", COMPANY | {"uid": "DE123456789"})
    assert ProProfile.objects.get().uid == "DE123456789"


def test_only_pros_have_a_company_page(browser_as, helper):
    response = browser_as(helper).get("/pro/company")
    assert response.status_code == 403
    assert "This page is for pros" in response.content.decode()
    assert browser_as(helper).post("/pro/company", COMPANY).status_code == 403
    assert not ProProfile.objects.exists()
