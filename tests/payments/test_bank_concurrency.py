"""Two imports of one bank file at the same moment book its credits once (on PostgreSQL
truly in parallel: the second waits on the file's unique message id, then finds it)."""

from __future__ import annotations

from quartier.banking.models import BankCredit, BankFile
from quartier.banking.services import ImportResult, bank_file_import
from quartier.invoicing.payment import creditor_reference
from quartier.payments import chart
from quartier.payments.models import LedgerTransaction
from tests.payments.bank_files import Tx, camt
from tests.payments.money_fixtures import balance, commission_owed, ready_helper
from tests.payments.test_bank_import import commission_invoice
from tests.races import race


def test_two_concurrent_imports_of_one_file_book_once(committing_db):
    helper = ready_helper()
    commission_owed(helper_id=helper.pk, booking_id=501, amount=4500)
    invoice = commission_invoice(helper.pk)
    file = camt(
        "camt.054",
        "RACE-1",
        [[Tx("30.00", creditor_reference(invoice.number), "R-1")], [Tx("9.00", text="?")]],
    )

    outcomes = race(
        lambda: bank_file_import(actor=None, content=file),
        lambda: bank_file_import(actor=None, content=file),
    )

    assert all(isinstance(o, ImportResult) for o in outcomes), outcomes
    assert sorted(o.duplicate for o in outcomes) == [False, True]
    assert BankFile.objects.count() == 1
    assert BankCredit.objects.count() == 2
    assert LedgerTransaction.objects.filter(kind="helper.paid").count() == 1
    assert balance(chart.helper_receivable(helper.pk, "CHF").code) == 1500
