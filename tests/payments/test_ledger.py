"""The ledger itself: only balanced transactions get in, nothing is ever changed, and
`quartier ledger check` notices when the books were tampered with."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from quartier.money import Money
from quartier.payments import chart
from quartier.payments.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerImmutable,
    LedgerTransaction,
)
from quartier.payments.services import (
    LedgerError,
    Unbalanced,
    account_open,
    ledger_post,
    ledger_reverse,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def chf(minor: int) -> Money:
    return Money(minor, "CHF")


def post(key: str = "test:1", *lines: tuple[chart.AccountSpec, Money]) -> LedgerTransaction:
    return ledger_post(event_key=key, kind="test", booked_at=NOW, lines=lines)


def settled_lines(helper_id: int = 7, price: int = 9000) -> list[tuple[chart.AccountSpec, Money]]:
    return [
        (chart.helper_receivable(helper_id, "CHF"), chf(1350)),
        (chart.commission_revenue("CHF"), chf(-1350)),
        (chart.jobs_gross_offset("CHF"), chf(price)),
        (chart.helper_jobs_gross(helper_id, "CHF"), chf(-price)),
    ]


def nothing_written() -> bool:
    return not (
        LedgerTransaction.objects.exists()
        or LedgerEntry.objects.exists()
        or LedgerAccount.objects.exists()
    )


def test_a_balanced_posting_is_booked_with_its_accounts():
    booked = post("test:1", *settled_lines())

    entries = {e.account.code: e.amount_minor for e in booked.entries.select_related("account")}
    assert entries == {
        "helper:7:receivable:CHF": 1350,
        "quartier:commission:CHF": -1350,
        "memo:jobs-gross:CHF": 9000,
        "helper:7:jobs-gross:CHF": -9000,
    }
    assert LedgerAccount.objects.get(code="helper:7:receivable:CHF").owner_id == 7


@pytest.mark.parametrize(
    "lines",
    [
        # One Rappen off.
        [
            (chart.helper_receivable(7, "CHF"), chf(1350)),
            (chart.commission_revenue("CHF"), chf(-1349)),
        ],
        # Balanced in sum, but across two currencies.
        [
            (chart.helper_receivable(7, "CHF"), chf(100)),
            (chart.commission_revenue("EUR"), Money(-100, "EUR")),
        ],
        # Francs booked on a euro account.
        [
            (chart.helper_receivable(7, "EUR"), chf(100)),
            (chart.commission_revenue("CHF"), chf(-100)),
        ],
        # A single line, and nothing at all.
        [(chart.helper_receivable(7, "CHF"), chf(100))],
        [],
    ],
    ids=["rappen-off", "two-currencies", "wrong-account-currency", "one-line", "empty"],
)
def test_an_unbalanced_posting_is_refused_and_leaves_nothing(lines):
    with pytest.raises(Unbalanced):
        post("test:bad", *lines)

    assert nothing_written()


def test_a_posting_that_only_balances_on_paper_is_rolled_back_by_the_database_check(monkeypatch):
    """The second guard: the sums are read back from the rows inside the transaction."""
    real_bulk_create = LedgerEntry.objects.bulk_create

    def lose_one_row(rows, *args, **kwargs):
        return real_bulk_create(list(rows)[:-1], *args, **kwargs)

    monkeypatch.setattr(LedgerEntry.objects, "bulk_create", lose_one_row)
    with pytest.raises(Unbalanced, match="in the database"):
        post("test:lost", *settled_lines())

    assert not LedgerTransaction.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_posting_the_same_key_twice_books_once():
    first = post("event:5", *settled_lines())
    again = post("event:5", *settled_lines(price=12000))

    assert again.pk == first.pk
    assert LedgerTransaction.objects.count() == 1
    assert LedgerEntry.objects.count() == 4


def test_ledger_rows_cannot_be_changed_or_deleted_through_the_orm():
    booked = post("test:1", *settled_lines())
    entry = booked.entries.first()

    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_minor=1)
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.all().delete()
    entry.amount_minor = 1
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        booked.delete()
    with pytest.raises(LedgerImmutable):
        LedgerTransaction.objects.filter(pk=booked.pk).update(memo="changed")

    assert sorted(LedgerEntry.objects.values_list("amount_minor", flat=True)) == [
        -9000,
        -1350,
        1350,
        9000,
    ]


def test_the_database_refuses_zero_amounts_and_unknown_currencies():
    booked = post("test:1", *settled_lines())
    account = LedgerAccount.objects.first()

    for amount, currency in [(0, "CHF"), (100, "USD")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(
                transaction=booked, account=account, amount_minor=amount, currency=currency
            )


def test_an_account_code_keeps_its_kind_and_currency():
    account_open(chart.helper_receivable(7, "CHF"))
    clash = chart.AccountSpec("helper:7:receivable:CHF", "receivable", "EUR", "helper", 7)

    with pytest.raises(LedgerError, match="exists as receivable in CHF"):
        account_open(clash)


def test_a_correction_is_a_reversing_transaction_once():
    original = post("event:9", *settled_lines())

    reversal = ledger_reverse(original=original, event_key="reverse:event:9", booked_at=NOW)

    assert reversal.reverses == original
    assert sorted(reversal.entries.values_list("amount_minor", flat=True)) == [
        -9000,
        -1350,
        1350,
        9000,
    ]
    with pytest.raises(LedgerError, match="already reversed"):
        ledger_reverse(original=original, event_key="reverse:event:9:again", booked_at=NOW)
    assert LedgerTransaction.objects.count() == 2


def check() -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("ledger", "check", stdout=out, stderr=err)
    except CommandError as failed:
        return out.getvalue(), err.getvalue() + str(failed), failed.returncode
    return out.getvalue(), err.getvalue(), 0


def test_ledger_check_passes_on_balanced_books_and_prints_the_balance_per_currency():
    post("test:1", *settled_lines())
    post(
        "test:2",
        (chart.helper_receivable(8, "EUR"), Money(1200, "EUR")),
        (chart.commission_revenue("EUR"), Money(-1200, "EUR")),
    )

    out, _, code = check()

    assert code == 0
    assert "CHF" in out
    assert "103.50" in out  # debits: 13.50 + 90.00
    assert "EUR" in out
    assert "12.00" in out
    assert "2 transactions" in out
    assert "The ledger balances." in out


def test_ledger_check_fails_on_a_row_changed_behind_the_ledgers_back():
    post("test:1", *settled_lines())
    booked = post("test:2", *settled_lines(helper_id=8))
    tampered = booked.entries.get(account__code="helper:8:receivable:CHF")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LedgerEntry._meta.db_table} SET amount_minor = amount_minor + 5 "
            "WHERE id = %s",
            [tampered.pk],
        )

    out, err, code = check()

    assert code == 1
    assert f"transaction #{booked.pk} (test:2) is off by 0.05 CHF" in err
    assert "1 transaction(s) off" in err
    assert "currencies off: CHF" in err
    assert "The ledger balances." not in out


def test_ledger_check_fails_on_an_entry_moved_to_another_currency():
    booked = post("test:1", *settled_lines())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LedgerEntry._meta.db_table} SET currency = 'EUR' WHERE transaction_id = %s",
            [booked.pk],
        )

    _, err, code = check()

    assert code == 1
    assert "4 entr(ies) in a foreign currency" in err


def test_ledger_check_fails_on_a_transaction_whose_entries_were_deleted():
    post("test:1", *settled_lines())
    emptied = post(
        "test:2",
        (chart.helper_receivable(8, "EUR"), Money(1200, "EUR")),
        (chart.commission_revenue("EUR"), Money(-1200, "EUR")),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {LedgerEntry._meta.db_table} WHERE transaction_id = %s", [emptied.pk]
        )

    out, err, code = check()

    assert code == 1  # the sums still balance: only the missing rows tell
    assert f"transaction #{emptied.pk} has fewer than two entries" in err
    assert "2 transactions" in out
