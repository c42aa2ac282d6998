"""`quartier bank import`: credits on Quartier's account matched by their reference to
commission invoices and partner statements, booked once, the rest queued for operators."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from quartier.banking.models import BankCredit, BankFile, CreditState
from quartier.banking.services import (
    bank_credit_assign,
    bank_credit_dismiss,
    bank_file_import,
)
from quartier.errors import InvalidInput
from quartier.invoicing.models import Invoice
from quartier.invoicing.payment import creditor_reference, qr_reference
from quartier.partners.models import Partner
from quartier.payments import chart
from quartier.payments.models import LedgerTransaction
from quartier.payments.partner_statements import partner_statements
from tests.factories import UserFactory
from tests.payments.bank_files import Tx, camt
from tests.payments.money_fixtures import balance, commission_owed, partner_share, ready_helper

pytestmark = pytest.mark.django_db


def commission_invoice(helper_id: int, number: str = "Q-2026-000007", total: int = 4500):
    return Invoice.objects.create(
        kind="commission_invoice",
        series="Q",
        number=number,
        issuer_name="Quartier AG",
        template="commission_ch",
        language="de",
        currency="CHF",
        total_minor=total,
        snapshot={},
        helper_id=helper_id,
        period="2026-10",
        source_key=f"commission:{helper_id}:CHF:{number}",
    )


@pytest.fixture
def owing():
    """A helper who owes CHF 45.00 commission on invoice Q-2026-000007."""
    helper = ready_helper()
    commission_owed(helper_id=helper.pk, booking_id=901, amount=4500)
    invoice = commission_invoice(helper.pk)
    return helper, invoice


def test_a_commission_payment_by_its_reference_is_booked(owing):
    helper, invoice = owing
    file = camt("camt.054", "MSG-1", [[Tx("45.00", creditor_reference(invoice.number), "B-1")]])
    result = bank_file_import(actor=None, content=file)
    assert (result.booked, result.queued) == (1, 0)
    assert balance(chart.helper_receivable(helper.pk, "CHF").code) == 0
    assert balance(chart.bank("CHF").code) == 4500
    credit = BankCredit.objects.get()
    assert credit.state == CreditState.BOOKED
    assert credit.target_label == invoice.number


def test_the_same_file_twice_books_once(owing):
    _, invoice = owing
    file = camt("camt.054", "MSG-2", [[Tx("20.00", creditor_reference(invoice.number), "B-2")]])
    bank_file_import(actor=None, content=file)
    before = LedgerTransaction.objects.count()
    again = bank_file_import(actor=None, content=file)
    assert again.duplicate
    assert again.booked == 0
    assert LedgerTransaction.objects.count() == before
    assert BankCredit.objects.count() == 1
    assert BankFile.objects.count() == 1


def test_a_notification_then_the_days_statement_book_the_credit_once(owing):
    _helper, invoice = owing
    tx = Tx("45.00", creditor_reference(invoice.number), "B-3")
    bank_file_import(actor=None, content=camt("camt.054", "NOTE-3", [[tx]]))
    result = bank_file_import(actor=None, content=camt("camt.053", "STMT-3", [[tx]]))
    assert (result.booked, result.seen) == (0, 1)
    assert balance(chart.bank("CHF").code) == 4500


def test_a_qr_reference_with_a_qr_iban_is_matched(owing, settings):
    helper, invoice = owing
    reference = qr_reference(invoice.number)
    assert len(reference) == 27
    bank_file_import(actor=None, content=camt("camt.053", "QRR-1", [[Tx("45.00", reference)]]))
    assert BankCredit.objects.get().state == CreditState.BOOKED
    assert balance(chart.helper_receivable(helper.pk, "CHF").code) == 0


def test_unmatched_credits_wait_in_the_queue_and_book_nothing(owing):
    _, invoice = owing
    file = camt(
        "camt.053",
        "MSG-4",
        [
            [Tx("12.00", text="Rechnung Mai")],  # no reference
            [Tx("10.00", creditor_reference("Q-2026-999999"))],  # no such invoice
            [Tx("99.00", creditor_reference(invoice.number))],  # more than owed
            [Tx("5.00", "RF18539007547034")],  # not Quartier's
        ],
    )
    result = bank_file_import(actor=None, content=file)
    assert (result.booked, result.queued) == (0, 4)
    reasons = list(BankCredit.objects.order_by("amount_minor").values_list("reason", flat=True))
    assert "not one Quartier issued" in reasons[0]  # 5.00
    assert "there is none" in reasons[1]  # 10.00
    assert "no structured reference" in reasons[2].lower()  # 12.00
    assert "owes" in reasons[3]  # 99.00
    assert not LedgerTransaction.objects.filter(kind="helper.paid").exists()


def test_debits_and_a_batch_booking(owing):
    _helper, invoice = owing
    other = ready_helper()
    commission_owed(helper_id=other.pk, booking_id=902, amount=1000)
    second = commission_invoice(other.pk, "Q-2026-000008", 1000)
    batch = [
        Tx("45.00", creditor_reference(invoice.number), "T-1"),
        Tx("10.00", creditor_reference(second.number), "T-2"),
    ]
    bank_file_import(actor=None, content=camt("camt.053", "DEB", [[Tx("3.00")]], debit=True))
    result = bank_file_import(actor=None, content=camt("camt.053", "BATCH", [batch]))
    assert result.booked == 2
    assert balance(chart.helper_receivable(other.pk, "CHF").code) == 0


def test_a_partner_pays_its_statement_by_its_reference():
    partner = Partner.objects.create(name="Swisscom", slug="swisscom")
    helper = ready_helper()
    partner_share(
        partner_id=partner.pk,
        helper_id=helper.pk,
        booking_id=77,
        price=8000,
        commission=1200,
        at=None,
    )
    from django.utils import timezone

    [statement] = partner_statements(partner=partner, month=timezone.localdate())
    assert statement.reference.startswith("RF")
    file = camt(
        "camt.054",
        "P-1",
        [[Tx("80.00", statement.reference, "P-1")]],
        booked_on=timezone.localdate().isoformat(),
    )
    assert bank_file_import(actor=None, content=file).booked == 1
    assert balance(chart.partner_receivable(partner.pk, "CHF").code) == 0
    assert balance(chart.settlement("CHF").code) == 8000


def test_operators_assign_or_dismiss_queued_credits(owing):
    helper, invoice = owing
    operator = UserFactory(is_staff=True)
    file = camt("camt.053", "MSG-5", [[Tx("45.00", text="Provision Anna")], [Tx("7.00")]])
    bank_file_import(actor=None, content=file)
    first, second = BankCredit.objects.order_by("-amount_minor")
    with pytest.raises(InvalidInput):
        bank_credit_assign(actor=operator, credit_id=first.pk, target="Q-2026-000404")
    bank_credit_assign(actor=operator, credit_id=first.pk, target=invoice.number)
    first.refresh_from_db()
    assert first.state == CreditState.ASSIGNED
    assert first.resolved_by == operator
    assert balance(chart.helper_receivable(helper.pk, "CHF").code) == 0
    with pytest.raises(InvalidInput):
        bank_credit_dismiss(actor=operator, credit_id=second.pk, note=" ")
    bank_credit_dismiss(actor=operator, credit_id=second.pk, note="Sent back to the payer")
    second.refresh_from_db()
    assert second.state == CreditState.DISMISSED


def test_the_command_reports_and_refuses_a_bad_file(owing, tmp_path):
    _, invoice = owing
    path = tmp_path / "camt.xml"
    path.write_bytes(camt("camt.054", "CLI-1", [[Tx("45.00", creditor_reference(invoice.number))]]))
    out = io.StringIO()
    call_command("bank", "import", str(path), stdout=out)
    assert "1 booked, 0 queued" in out.getvalue()
    call_command("bank", "import", str(path), stdout=out)
    assert "imported before" in out.getvalue()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Document>&e;</Document>'
    )
    with pytest.raises(CommandError, match="Not a readable camt"):
        call_command("bank", "import", str(bad))
    assert BankFile.objects.count() == 1
