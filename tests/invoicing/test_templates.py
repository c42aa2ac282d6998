"""One test per template: the PDF's text holds every field the law asks of it, with its value
(money-law §1, §3, §8.2)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from quartier.invoicing.services import customer_invoice_issue
from tests.invoicing.helpers import has, job, payload, payout_profile, pdf_text

pytestmark = pytest.mark.django_db

VAT_WORDS = ("MWST", "MwSt", "TVA", "VAT", "USt", "Mehrwertsteuer", "%")


def issue(status: str, *, language: str = "de", **v2):
    booking = job("CH" if status.startswith("ch") else "DE", language=language)
    payout_profile(booking.helper, status)
    invoice = customer_invoice_issue(
        source_key=f"test:{booking.pk}", payload=payload(booking, **v2)
    )
    assert invoice is not None
    return invoice, pdf_text(invoice)


def line(total: int, rate: str, kind: str = "labour", label: str = "Arbeit") -> dict:
    return {
        "kind": kind,
        "label": label,
        "quantity": "1",
        "unit_minor": total,
        "vat_rate": rate,
        "total_minor": total,
    }


def today() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


def assert_parties(text: str, helper: str, helper_address: list[str]) -> None:
    """Supplier = the helper (never Quartier), recipient = the customer, both with addresses."""
    assert has(text, f"Leistungserbringer {helper} {helper_address[0]} {helper_address[1]}")
    assert has(text, "Leistungsempfänger\nClara Kundin\n")
    assert has(text, f"Rechnung im Namen und für Rechnung von {helper}")
    # Quartier appears once: as the issuing agent in the heading's explanation.
    assert text.count("Quartier") == 1
    assert re.search(r"Ausgestellt durch Quartier als\s+(direkte Stellvertreterin|Dritte)", text)


def test_ch_registered_shows_mwst_number_rate_and_amount():
    invoice, text = issue("ch_registered", price_minor=12000, lines=[line(12000, "8.1")])
    assert invoice.template == "ch_registered"
    assert_parties(text, "Anna Muster", ["Langstrasse 10", "CH-8004 Zürich"])
    assert has(text, "Badenerstrasse 12\nCH-8004 Zürich")
    assert has(text, "Im MWST-Register eingetragen, MWST-Nr. CHE-116.281.710 MWST")
    assert has(text, f"Rechnungsnummer\n {invoice.number}")
    assert invoice.number.endswith("-0001")
    assert has(text, f"Rechnungsdatum\n {today()}")
    assert has(text, "Leistungsdatum\n 20.11.2026")
    assert has(text, "8.1 %")
    assert has(text, "davon MWST 8.1 %\n CHF 8.99")  # 120.00 * 8.1 / 108.1
    assert has(text, "Total inkl. MWST 8.1 %\n CHF 120.00")


def test_ch_unregistered_says_nothing_about_vat_and_carries_a_valid_qr_bill():
    invoice, text = issue("ch_unregistered", price_minor=12000, tip_minor=500)
    assert invoice.template == "ch_unregistered"
    assert_parties(text, "Anna Muster", ["Langstrasse 10", "CH-8004 Zürich"])
    assert has(text, "TV-Box einrichten")
    assert has(text, "Trinkgeld")
    assert has(text, "Gesamtbetrag\n CHF 125.00")
    assert has(text, "Zahlteil")
    assert has(text, "Empfangsschein")
    for word in VAT_WORDS:
        assert word not in text, word
    assert invoice.snapshot["vat"] == []


def test_de_standard_has_every_paragraph_14_field():
    invoice, text = issue("de_regular", price_minor=35700, lines=[line(35700, "19")])
    assert invoice.template == "de_standard"
    assert_parties(text, "Bernd Beispiel", ["Invalidenstraße 117", "DE-10115 Berlin"])
    assert has(text, "Friedrichstraße 43\nDE-10117 Berlin")
    assert has(text, "Steuernummer: 21/815/08150")
    assert has(text, f"Rechnungsnummer\n {invoice.number}")
    assert has(text, f"Rechnungsdatum\n {today()}")
    assert has(text, "Leistungsdatum\n 20.11.2026")
    assert has(text, "Arbeit\n 1\n 357,00 €\n 357,00 €\n 19 %")
    assert has(text, "Nettoentgelt 19 %\n 300,00 €")
    assert has(text, "Umsatzsteuer 19 %\n 57,00 €")
    assert has(text, "Gesamtbetrag\n 357,00 €")
    assert has(text, "§ 14 Abs. 2 S. 4 UStG")


def test_de_small_amount_prints_gross_with_rate_only():
    invoice, text = issue("de_regular", price_minor=11900, lines=[line(11900, "19")])
    assert invoice.template == "de_small_amount"
    assert has(text, "Bernd Beispiel\nInvalidenstraße 117\nDE-10115 Berlin")
    assert has(text, f"Rechnungsdatum\n {today()}")
    assert has(text, "Arbeit")
    assert has(text, "Gesamtbetrag (brutto) inkl. 19 % USt\n 119,00 €")
    assert not has(text, "Umsatzsteuer 19")
    assert not has(text, "Nettoentgelt")


def test_a_small_amount_with_the_35a_block_uses_the_full_template():
    invoice, text = issue(
        "de_regular", price_minor=11900, lines=[line(11900, "19")], skill_flags=["household"]
    )
    assert invoice.template == "de_standard"
    assert has(text, "Umsatzsteuer 19 %\n 19,00 €")
    assert has(text, "Begünstigte Arbeitskosten\n 119,00 €")


def test_de_kleinunternehmer_has_the_exemption_note_and_never_a_vat_amount():
    invoice, text = issue("de_small", price_minor=35700, lines=[line(35700, "19")])
    assert invoice.template == "de_small_business"
    assert_parties(text, "Bernd Beispiel", ["Invalidenstraße 117", "DE-10115 Berlin"])
    assert has(text, "Steuernummer: 21/815/08150")
    assert has(text, f"Rechnungsdatum\n {today()}")
    assert has(text, "Steuerfreie Leistung \u2013 Kleinunternehmer gemäß § 19 UStG")
    assert has(text, "Gesamtbetrag\n 357,00 €")
    assert not has(text, "%")
    assert not has(text, "Umsatzsteuer")


def test_de_private_person_says_so_and_shows_no_tax_number_or_vat():
    invoice, text = issue("de_private", price_minor=35700, lines=[line(35700, "19")])
    assert invoice.template == "de_private"
    assert_parties(text, "Bernd Beispiel", ["Invalidenstraße 117", "DE-10115 Berlin"])
    assert has(text, "handelt als Privatperson und nicht als Unternehmer")
    assert not has(text, "Steuernummer")
    assert not has(text, "USt-IdNr")
    assert not has(text, "%")
    assert has(text, "Gesamtbetrag\n 357,00 €")


def test_property_related_work_for_a_private_customer_carries_the_retention_note():
    _, text = issue(
        "de_regular", price_minor=35700, lines=[line(35700, "19")], skill_flags=["property"]
    )
    assert has(text, "Diese Rechnung ist zwei Jahre aufzubewahren (§ 14b Abs. 1 S. 5 UStG)")
    _, private = issue("de_private", price_minor=35700, skill_flags=["property"])
    assert not has(private, "aufzubewahren")


def test_35a_block_separates_labour_travel_consumables_from_material():
    lines = [
        line(20000, "19"),
        line(3000, "19", "travel", "Anfahrt"),
        line(1000, "19", "consumables", "Reiniger"),
        line(5000, "19", "material", "Dübel"),
    ]
    _, text = issue("de_regular", price_minor=29000, lines=lines, skill_flags=["craftsman"])
    assert has(text, "Angaben für die Steuerermäßigung nach § 35a EStG")
    assert has(text, "Arbeitskosten\n 200,00 €")
    assert has(text, "Fahrt- und Maschinenkosten\n 30,00 €")
    assert has(text, "Verbrauchsmittel\n 10,00 €")
    assert has(text, "Material (nicht begünstigt)\n 50,00 €")
    assert has(text, "Begünstigte Arbeitskosten\n 240,00 €")
    assert has(text, "Bitte unbar bezahlen")


def test_35a_leaves_out_the_partner_paid_share(partner):
    lines = [line(20000, "19"), line(4000, "19", "material", "Dübel")]
    invoice, text = issue(
        "de_regular",
        price_minor=24000,
        lines=lines,
        skill_flags=["household"],
        partner_id=partner.pk,
        partner_share_minor=12000,
    )
    assert has(text, "Davon von Möbel Partner AG bezahlt (nicht begünstigt)\n -100,00 €")
    assert has(text, "Begünstigte Arbeitskosten\n 100,00 €")
    assert has(text, "Möbel Partner AG bezahlt 120,00 € dieser Rechnung")
    assert invoice.snapshot["payment"]["qr"]["amount"] == "120.00"  # the customer's share


def test_cash_gets_no_35a_block_but_says_why_and_no_payment_code():
    invoice, text = issue("de_regular", price_minor=35700, method="cash", skill_flags=["household"])
    assert has(text, "Barzahlungen geben keine Steuerermäßigung nach § 35a EStG")
    assert not has(text, "Begünstigte")
    assert not has(text, "Bitte unbar")
    assert has(text, "Bar an den Leistungserbringer bezahlt: 357,00 €")
    assert invoice.snapshot["payment"]["qr"] is None


def test_a_job_the_partner_pays_in_full_has_no_35a_block_and_nothing_to_pay(partner):
    invoice, text = issue(
        "de_regular",
        price_minor=35700,
        method="partner",
        partner_id=partner.pk,
        partner_share_minor=35700,
        skill_flags=["household"],
    )
    assert not has(text, "§ 35a")
    assert has(text, "Diese Rechnung bezahlt Möbel Partner AG (Zahlung durch Dritte)")
    assert invoice.snapshot["payment"]["qr"] is None


def test_english_customer_gets_an_english_invoice():
    invoice, text = issue("ch_unregistered", language="en")
    assert invoice.language == "en"
    assert has(text, "Invoice issued in the name and for the account of Anna Muster")
    assert has(text, "Supplier\nAnna Muster")
    assert has(text, "Recipient\nClara Kundin")
    for word in VAT_WORDS:
        assert word not in text, word
    assert has(text, "Receipt")
    assert has(text, "Payment part")


@pytest.fixture
def partner():
    from quartier.partners.models import Partner

    return Partner.objects.create(
        name="Möbel Partner AG", slug="moebel", contact_email="ops@moebel.example"
    )
