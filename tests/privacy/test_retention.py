"""What the law keeps after an erasure — invoices and bank files — is restricted, then goes
when its retention period ends (CH 10 years, DE 8, counted from the end of the year)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from quartier.accounts.models import User
from quartier.accounts.services import api_token_create
from quartier.invoicing.models import Invoice, InvoicePdf
from quartier.invoicing.selectors import invoice_pdf
from quartier.invoicing.services import credit_note_issue, customer_invoice_issue
from quartier.payments.payout_models import PayoutItem, PayoutRun
from quartier.privacy.export import export_zip
from quartier.privacy.retention import retention_run
from quartier.privacy.services import account_erase
from tests.factories import make_customer
from tests.invoicing.helpers import CH_IBAN, job, payload, payout_profile

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")


def _get(user, path: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}"}
    return Client().get(f"/api/v1{path}", headers=headers)


def _invoiced(market: str, *, issued: datetime) -> Invoice:
    booking = job(market)
    payout_profile(booking.helper, "ch_unregistered" if market == "CH" else "de_private")
    with time_machine.travel(issued, tick=False):
        invoice = customer_invoice_issue(source_key=f"t{booking.pk}", payload=payload(booking))
    assert invoice is not None
    return invoice


def test_an_erased_helpers_invoice_is_hidden_from_operators_but_not_from_the_customer():
    invoice = _invoiced("CH", issued=datetime(2026, 3, 2, 10, tzinfo=ZURICH))
    operator = make_customer(email="ops@example.com", is_staff=True)
    customer = User.objects.get(pk=invoice.customer_id)
    assert _get(operator, f"/invoices/{invoice.pk}/pdf").status_code == 200

    account_erase(user_id=invoice.helper_id)

    assert _get(operator, f"/invoices/{invoice.pk}/pdf").status_code == 404
    assert _get(operator, f"/bookings/{invoice.booking_id}/invoices").json() == []
    own_copy = _get(customer, f"/invoices/{invoice.pk}/pdf")
    assert own_copy.status_code == 200
    assert own_copy.content.startswith(b"%PDF-")
    assert invoice.restriction.retain_until == date(2037, 1, 1)  # Art. 958f OR: 10 years


def test_restricted_invoices_go_on_the_first_day_after_their_retention_and_not_before():
    swiss = _invoiced("CH", issued=datetime(2026, 3, 2, 10, tzinfo=ZURICH))
    german = _invoiced("DE", issued=datetime(2026, 12, 30, 10, tzinfo=ZURICH))
    kept = _invoiced("CH", issued=datetime(2026, 3, 2, 11, tzinfo=ZURICH))  # nobody erased
    invoice_pdf(swiss)  # rendered and stored: it goes with the invoice
    account_erase(user_id=swiss.helper_id)
    account_erase(user_id=german.customer_id)

    assert retention_run(today=date(2034, 12, 31)) == ""
    assert Invoice.objects.filter(pk=german.pk).exists()

    retention_run(today=date(2035, 1, 1))  # § 147 AO: 8 years after the end of 2026
    assert not Invoice.objects.filter(pk=german.pk).exists()
    assert Invoice.objects.filter(pk=swiss.pk).exists()

    retention_run(today=date(2037, 1, 1))
    assert not Invoice.objects.filter(pk=swiss.pk).exists()
    assert not InvoicePdf.objects.filter(invoice_id=swiss.pk).exists()
    assert Invoice.objects.filter(pk=kept.pk).exists()  # an active member's history stays


def test_an_original_waits_for_its_later_credit_note():
    original = _invoiced("DE", issued=datetime(2026, 11, 20, 10, tzinfo=ZURICH))
    with time_machine.travel(datetime(2027, 1, 15, 10, tzinfo=ZURICH), tick=False):
        credit = credit_note_issue(
            source_key="refund", booking_id=int(original.booking_id or 0), refund_minor=5000
        )
    assert credit is not None
    account_erase(user_id=original.helper_id)

    retention_run(today=date(2035, 1, 1))  # the original's period is over, the note's not
    assert Invoice.objects.filter(pk__in=[original.pk, credit.pk]).count() == 2

    assert retention_run(today=date(2036, 1, 1)) == (
        "retention: 2 invoices deleted, 0 bank files blanked"
    )
    assert not Invoice.objects.filter(pk__in=[original.pk, credit.pk]).exists()


def test_payout_files_keep_names_and_ibans_for_ten_years_then_only_the_amounts():
    helper = job("CH").helper
    with time_machine.travel(datetime(2026, 6, 30, 10, tzinfo=ZURICH), tick=False):
        run = PayoutRun.objects.create(
            currency="CHF",
            file_name="payouts-CHF-1.xml",
            document="<Document>Helper Name CH93…</Document>",
            total_minor=8000,
            item_count=1,
            created_at=datetime(2026, 6, 30, 10, tzinfo=ZURICH),
        )
    item = PayoutItem.objects.create(
        run=run, helper=helper, amount_minor=8000, iban=CH_IBAN, account_holder="Helper Name"
    )
    account_erase(user_id=helper.pk)
    assert PayoutItem.objects.get(pk=item.pk).iban == CH_IBAN  # a bank voucher, kept

    retention_run(today=date(2036, 12, 31))
    assert PayoutRun.objects.get(pk=run.pk).document.startswith("<Document>")

    retention_run(today=date(2037, 1, 1))
    blanked = PayoutItem.objects.select_related("run").get(pk=item.pk)
    assert (blanked.iban, blanked.account_holder, blanked.run.document) == ("", "", "")
    assert (blanked.amount_minor, blanked.run.total_minor) == (8000, 8000)


def test_the_export_lists_the_payouts_a_helper_received():
    helper = job("CH").helper
    run = PayoutRun.objects.create(
        currency="CHF",
        file_name="payouts-CHF-7.xml",
        document="<Document/>",
        total_minor=4250,
        item_count=1,
        created_at=datetime(2026, 11, 30, 10, tzinfo=ZURICH),
    )
    PayoutItem.objects.create(
        run=run, helper=helper, amount_minor=4250, iban=CH_IBAN, account_holder="Helper Name"
    )

    with zipfile.ZipFile(io.BytesIO(export_zip(helper.pk))) as archive:
        [payout] = json.loads(archive.read("payments.json"))["payouts"]

    assert (payout["file"], payout["amount_minor"], payout["iban"]) == (
        "payouts-CHF-7.xml",
        4250,
        CH_IBAN,
    )


def test_tax_reporting_data_is_exported_and_erased_with_the_account():
    from quartier.compliance.models import TaxReportingProfile

    helper = job("DE").helper
    TaxReportingProfile.objects.create(
        user=helper,
        date_of_birth=date(1990, 4, 1),
        tins=[{"number": "86095742719", "country": "DE"}],
        residence_countries=["DE"],
    )
    with zipfile.ZipFile(io.BytesIO(export_zip(helper.pk))) as archive:
        exported = json.loads(archive.read("compliance.json"))["tax_reporting"]
    assert exported["date_of_birth"] == "1990-04-01"

    account_erase(user_id=helper.pk)

    assert not TaxReportingProfile.objects.filter(user=helper).exists()
