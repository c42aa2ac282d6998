"""The helper's "Payout & tax" page and the partner's statements page, in German."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from quartier.payments.models import PayoutProfile
from quartier.payments.payout_models import DirectPaymentFile
from quartier.payments.profiles import payout_ready
from tests.partners.factories import make_member, make_partner
from tests.payments.money_fixtures import CH_PROFILE, helper, partner_share, ready_helper

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")


def form_data(**changes):
    data = {**CH_PROFILE, "mandate_accepted": "on", **changes}
    return {k: v for k, v in data.items() if v is not True}


def test_a_helper_fills_in_payout_and_tax_in_german(browser_as):
    anna = helper()
    client = browser_as(anna, "de-ch")
    page = client.get("/helper/payout").content.decode()
    assert "<h1>Auszahlung & Steuern</h1>" in page
    assert "Es fehlt noch" in page
    assert "deine Adresse (Strasse, Hausnummer" in page  # Swiss spelling
    assert "in meinem Namen und für meine Rechnung" in page  # the mandate, in German
    assert 'name="viewport"' in page  # phone-friendly layout from the base template

    saved = client.post("/helper/payout", form_data(), follow=True)

    assert "Gespeichert." in saved.content.decode()
    assert "Vollständig" in saved.content.decode()
    assert payout_ready(anna.pk)


def test_a_wrong_iban_is_shown_on_its_field_in_german_and_nothing_saved(browser_as):
    anna = helper()
    answer = browser_as(anna, "de").post("/helper/payout", form_data(iban="DE89370400440532013000"))
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Auszahlungen in Franken brauchen eine IBAN aus der Schweiz oder Liechtenstein." in page
    assert not PayoutProfile.objects.filter(user=anna).exists()


def test_customers_do_not_get_the_payout_page(browser_as, customer):
    assert browser_as(customer, "de").get("/helper/payout").status_code == 403


def test_a_partner_reads_its_statement_and_runs_a_euro_file(browser_as):
    partner = make_partner(slug="moebel", name="Möbel AG")
    admin, analyst = make_member(partner), make_member(partner, role="analyst")
    max_ = ready_helper("DE")
    partner_share(
        partner_id=partner.pk,
        helper_id=max_.pk,
        booking_id=31,
        price=12000,
        commission=1800,
        currency="EUR",
        at=datetime(2026, 3, 5, 12, tzinfo=ZURICH),
    )
    client = browser_as(admin, "de")
    page = client.get("/partner/moebel/statements/?month=2026-03").content.decode()
    assert "Abrechnungen" in page
    assert "#31" in page
    assert "120,00" in page

    client.post(
        "/partner/moebel/statements/account",
        {
            "iban": "DE02120300000000202051",
            "account_holder": "Möbel AG",
            "street": "Möbelallee",
            "house_number": "5",
            "postcode": "10115",
            "town": "Berlin",
            "month": "2026-03",
        },
    )
    page = client.get("/partner/moebel/statements/?month=2026-03").content.decode()
    assert "Abrechnung für: Möbel AG, Möbelallee 5, DE-10115 Berlin" in page
    client.post("/partner/moebel/statements/files", {"month": "2026-03"})
    file = DirectPaymentFile.objects.get()
    download = client.get(f"/partner/moebel/statements/files/{file.pk}.xml")
    assert download["Content-Type"] == "application/xml"
    assert b"pain.001.001.09" in download.content

    assert (
        browser_as(analyst, "de")
        .post(f"/partner/moebel/statements/files/{file.pk}/paid")
        .status_code
        == 403
    )
    done = client.post(f"/partner/moebel/statements/files/{file.pk}/paid", follow=True)
    assert "als bezahlt verbucht" in done.content.decode()
    file.refresh_from_db()
    assert file.paid_at is not None


def test_another_partners_members_see_nothing(browser_as):
    make_partner(slug="moebel")
    outsider = make_member(make_partner(slug="rival"))
    assert browser_as(outsider, "de").get("/partner/moebel/statements/").status_code == 404
