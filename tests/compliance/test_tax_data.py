"""Collecting the § 14 PStTG data: the helper's "Tax reporting" page (German, phone layout)
and the API (GET/PUT /me/tax-reporting); wrong values are refused with the field named and
nothing saved."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.compliance.models import TaxReportingProfile, ThresholdCode
from quartier.compliance.thresholds import alert_raise
from quartier.money import Money
from quartier.payments.models import PayoutProfile
from tests.api_checks import assert_problem
from tests.compliance.sellers import GERMAN_TIN, seller
from tests.conftest import Api
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def browser(user, language: str = "de") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


FORM = {
    "date_of_birth": "1985-04-02",
    "residence_countries": ["DE"],
    "tin_1": GERMAN_TIN,
    "tin_1_country": "DE",
}


def test_a_german_helper_completes_the_tax_data_in_german():
    helper = seller("DE")
    client = browser(helper)
    page = client.get("/helper/tax-reporting").content.decode()
    assert "<h1>Steuermeldung</h1>" in page
    assert "Es fehlt noch" in page
    assert "dein Geburtsdatum" in page
    assert 'name="viewport"' in page

    saved = client.post("/helper/tax-reporting", FORM, follow=True).content.decode()
    assert "Gespeichert." in saved
    assert "Vollständig: Wir haben alles, was die Steuermeldung braucht." in saved
    profile = TaxReportingProfile.objects.get(user=helper)
    assert profile.tins == [{"tin": GERMAN_TIN, "country": "DE"}]
    assert profile.residence_countries == ["DE"]


def test_a_wrong_tax_number_is_shown_on_its_field_and_nothing_is_saved():
    helper = seller("DE")
    answer = browser(helper).post("/helper/tax-reporting", {**FORM, "tin_1": "12345678901"})
    assert answer.status_code == 200
    assert "Das ist keine gültige Steuernummer des gewählten Staats." in answer.content.decode()
    assert not TaxReportingProfile.objects.filter(user=helper).exists()


def test_a_swiss_helper_is_told_there_is_nothing_to_give_and_customers_are_turned_away():
    page = browser(seller("CH"), "de-ch").get("/helper/tax-reporting").content.decode()
    assert "Du wohnst nicht in der EU" in page
    assert "Es fehlt noch" not in page
    assert browser(make_customer()).get("/helper/tax-reporting").status_code == 403


def test_the_helper_confirms_a_threshold_alert_on_the_page():
    helper = seller("DE", vat_status="de_small")
    alert = alert_raise(
        helper=helper, code=ThresholdCode.DE_100K_CROSSED, year=2026,
        amount=Money(100_100_00, "EUR"), limit=100_000_00,
    )  # fmt: skip
    assert alert is not None
    client = browser(helper)
    assert (
        "Meinen Umsatzsteuer-Status bestätigen"
        in client.get("/helper/tax-reporting").content.decode()
    )
    done = client.post(
        f"/helper/tax-reporting/alerts/{alert.pk}", {"vat_status": "de_regular"}, follow=True
    ).content.decode()
    assert "Danke: Dein Umsatzsteuer-Status ist gespeichert." in done
    assert PayoutProfile.objects.get(user=helper).vat_status == "de_regular"
    alert.refresh_from_db()
    assert alert.confirmed_vat_status == "de_regular"


def test_the_api_reads_gaps_saves_the_data_and_refuses_wrong_values():
    helper = seller("DE")
    api = Api(helper)
    empty = api.get("/me/tax-reporting")
    assert empty.status_code == 200
    assert empty.data["reportable"] is True
    assert empty.data["missing"] == ["date_of_birth", "tin", "residence"]

    wrong = api.put(
        "/me/tax-reporting",
        {"tins": [{"tin": "12345678901", "country": "DE"}], "residence_countries": ["DE"]},
    )
    assert_problem(wrong, 422, code="tax_data_invalid", field="tins")
    assert not TaxReportingProfile.objects.filter(user=helper).exists()
    assert_problem(api.put("/me/tax-reporting", {"residence_countries": ["XX"]}), 422)

    saved = api.put(
        "/me/tax-reporting",
        {
            "date_of_birth": "1985-04-02",
            "tins": [{"tin": GERMAN_TIN, "country": "de"}],
            "residence_countries": ["DE"],
        },
    )
    assert saved.status_code == 200, saved.data
    assert saved.data["missing"] == []
    assert saved.data["tins"] == [{"tin": GERMAN_TIN, "country": "DE"}]
    assert saved.data["on_hold"] is False


def test_an_entity_needs_its_register_number_but_no_birth_date():
    pro = seller("DE")
    saved = Api(pro).put(
        "/me/tax-reporting",
        {"is_entity": True, "tins": [{"tin": "21/815/08150", "country": "DE"}],
         "residence_countries": ["DE"]},
    )  # fmt: skip
    assert saved.data["missing"] == ["register_number"]
    done = Api(pro).put(
        "/me/tax-reporting",
        {"is_entity": True, "tins": [{"tin": "21/815/08150", "country": "DE"}],
         "residence_countries": ["DE"], "register_number": "HRB 12345 B"},
    )  # fmt: skip
    assert done.data["missing"] == []
