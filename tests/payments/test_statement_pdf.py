"""Statement PDFs carry exactly the CSV's figures: every CSV row's cells appear in the
PDF's text in the same order (helper month and year, partner month), plus the year's
totals for a tax return; downloads on the web and by API."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from quartier.events import outbox
from quartier.partners.models import Partner
from quartier.payments.partner_statements import partner_statement_csv, partner_statements
from quartier.payments.statement_pdf import helper_statement_pdf, partner_statement_pdf
from quartier.payments.statements import helper_statement, statement_csv
from tests.factories import UserFactory
from tests.payments.money_fixtures import partner_share, ready_helper
from tests.payments.test_statement import rates, settle_v2  # noqa: F401 - rates fixture

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> list[str]:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()


def contains_in_order(tokens: list[str], cells: list[str]) -> bool:
    wanted = " ".join(cells).split()
    for start in range(len(tokens) - len(wanted) + 1):
        if tokens[start : start + len(wanted)] == wanted:
            return True
    return False


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.fixture
def helper_with_jobs():
    helper = UserFactory(is_helper=True, full_name="Anna Muster")
    settle_v2(helper, 11, datetime(2026, 7, 1, 9, tzinfo=UTC), tip_minor=250, method="cash")
    settle_v2(helper, 12, datetime(2026, 7, 15, 9, tzinfo=UTC), price_minor=23455)
    settle_v2(helper, 13, datetime(2026, 9, 2, 9, tzinfo=UTC), price_minor=5000)
    outbox.events_deliver()
    return helper


@pytest.mark.parametrize("month", [7, None])
def test_a_helpers_pdf_has_every_figure_of_the_csv(helper_with_jobs, month):
    statement = helper_statement(helper=helper_with_jobs, year=2026, month=month)
    rows = csv_rows(statement_csv(statement))
    assert len(rows) == (3 if month else 4)  # bookings + the total row
    tokens = text_of(helper_statement_pdf(statement, name="Anna Muster", language="en"))
    for row in rows:
        assert contains_in_order(tokens, row), row
    assert contains_in_order(tokens, ["Anna", "Muster"])


def test_the_years_pdf_has_the_totals_a_tax_return_needs(helper_with_jobs):
    statement = helper_statement(helper=helper_with_jobs, year=2026)
    total = statement.totals["CHF"]
    text = " ".join(text_of(helper_statement_pdf(statement, name="A", language="en")))
    assert f"Earnings from jobs (gross) {total.gross.amount}" in text
    assert f"Quartier's commission (business expense) {total.commission.amount}" in text
    assert f"VAT on the commission {total.vat.amount}" in text
    assert f"Net {total.net.amount}" in text
    assert "Jobs settled 3" in text


def test_a_partners_pdf_has_the_csvs_figures_and_the_reference():
    partner = Partner.objects.create(name="Swisscom", slug="swisscom")
    helper = ready_helper()
    at = datetime(2026, 11, 3, 10, tzinfo=UTC)
    partner_share(
        partner_id=partner.pk, helper_id=helper.pk, booking_id=5, price=8000, commission=1200, at=at
    )
    partner_share(
        partner_id=partner.pk, helper_id=helper.pk, booking_id=6, price=4550, commission=700, at=at
    )
    found = partner_statements(partner=partner, month=at.date().replace(day=1))
    rows = csv_rows(partner_statement_csv(found))
    assert rows[-3][-1] == "125.50"  # the total
    tokens = text_of(partner_statement_pdf(found, name="Swisscom", iban="CH93", language="en"))
    for row in rows:
        assert contains_in_order(tokens, row), row
    assert found[0].reference in tokens or found[0].reference + "." in tokens


def test_helpers_and_partners_download_the_pdf(client, helper_with_jobs):
    client.force_login(helper_with_jobs)
    response = client.get("/helper/earnings?year=2026&month=7&format=pdf")
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = client.get("/helper/earnings?year=2026&month=7")
    assert b"format=pdf" in page.content
