"""Payment codes on invoices paid by transfer: Swiss QR-bills that `qrbill` accepts, with
structured addresses and the right reference; EPC QR for euros; none for cash."""

from __future__ import annotations

import io

import pytest
import segno
from pypdf import PdfReader
from stdnum import iso11649
from stdnum.ch import esr

from quartier.invoicing.models import InvoiceWithheld
from quartier.invoicing.payment import creditor_reference, qr_bill, qr_reference, split_street
from quartier.invoicing.selectors import invoice_pdf
from quartier.invoicing.services import customer_invoice_issue
from tests.invoicing.helpers import CH_QR_IBAN, DE_IBAN, job, payload, payout_profile

pytestmark = pytest.mark.django_db


def issue(market: str, status: str, **profile_fields):
    booking = job(market)
    payout_profile(booking.helper, status, **profile_fields)
    return customer_invoice_issue(source_key=f"t{booking.pk}", payload=payload(booking)), booking


def test_a_chf_transfer_invoice_carries_a_valid_qr_bill_with_structured_addresses():
    invoice, _ = issue("CH", "ch_unregistered")
    data = invoice.snapshot["payment"]["qr"]
    bill = qr_bill(data, language="de")  # qrbill validates account, addresses, reference
    fields = bill.qr_data().split("\r\n")
    assert fields[:4] == ["SPC", "0200", "1", "CH9300762011623852957"]
    assert fields[4:11] == ["S", "Anna Muster", "Langstrasse", "10", "8004", "Zürich", "CH"]
    assert fields[18:20] == ["120.00", "CHF"]
    assert fields[20:27] == ["S", "Clara Kundin", "Badenerstrasse", "12", "8004", "Zürich", "CH"]
    assert fields[27] == "SCOR"
    assert iso11649.is_valid(fields[28])
    assert fields[29] == f"Rechnung {invoice.number}"


def test_the_qr_bill_is_the_bottom_of_the_last_page():
    invoice, _ = issue("CH", "ch_unregistered")
    reader = PdfReader(io.BytesIO(invoice_pdf(invoice)))
    last = reader.pages[-1]
    heights: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip() == "Zahlteil":
            heights.append(tm[5] * cm[3] + cm[5])

    last.extract_text(visitor_text=visit)
    assert heights
    assert all(0 < y < 105 * 72 / 25.4 for y in heights)
    assert "Zahlteil" not in reader.pages[0].extract_text()


def test_a_qr_iban_gets_a_qr_reference():
    invoice, _ = issue("CH", "ch_unregistered", iban=CH_QR_IBAN)
    data = invoice.snapshot["payment"]["qr"]
    assert esr.is_valid(data["reference"])
    assert len(data["reference"]) == 27
    assert qr_bill(data, language="de").qr_data().split("\r\n")[27] == "QRR"


def test_a_customer_address_without_house_number_leaves_out_the_debtor_and_says_so():
    booking = job("CH")
    booking.request.street_address = "Postfach"
    booking.request.save()
    payout_profile(booking.helper, "ch_unregistered")
    invoice = customer_invoice_issue(source_key="t", payload=payload(booking))
    assert invoice.snapshot["payment"]["qr"]["debtor"] is None
    assert invoice.snapshot["gaps"] == ["customer_address_unstructured"]
    qr_bill(invoice.snapshot["payment"]["qr"], language="de")  # still valid


def test_a_eur_transfer_invoice_carries_an_epc_qr_to_the_helpers_account():
    invoice, _ = issue("DE", "de_regular")
    data = invoice.snapshot["payment"]["qr"]
    assert data == {
        "kind": "epc",
        "name": "Bernd Beispiel",
        "iban": DE_IBAN,
        "amount": "120.00",
        "currency": "EUR",
        "reference": creditor_reference(invoice.number),
    }
    code = segno.helpers.make_epc_qr(
        name=data["name"], iban=data["iban"], amount=120, reference=data["reference"]
    )
    assert code.designator  # the EPC payload fits a QR code


def test_an_invalid_iban_means_no_invoice_and_the_helper_is_told():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered", iban="CH9300762011623852958")
    assert customer_invoice_issue(source_key="t", payload=payload(booking)) is None
    assert InvoiceWithheld.objects.get().gaps == ["iban"]


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Badenerstrasse 12", ("Badenerstrasse", "12")),
        ("Rue du Lac 3a", ("Rue du Lac", "3a")),
        ("Am Markt 7 b", ("Am Markt", "7b")),
        ("Hauptstr. 10-12", ("Hauptstr.", "10-12")),
        ("Postfach", None),
        ("12", None),
    ],
)
def test_street_lines_split_into_street_and_house_number(line, parts):
    assert split_street(line) == parts


def test_references_from_invoice_numbers_are_valid():
    assert iso11649.is_valid(creditor_reference("H12-2026-0001"))
    assert esr.is_valid(qr_reference("H12-2026-0001"))
