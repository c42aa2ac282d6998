"""`quartier ledger check`: the balance per currency; fails when the books do not balance."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from quartier.money import to_major
from quartier.payments.selectors import (
    ledger_currency_mismatches,
    ledger_imbalances,
    ledger_thin_transactions,
    ledger_totals,
    ledger_transaction_count,
)


class Command(BaseCommand):
    help = "Ledger tools. `check`: debits, credits and balance per currency; exit 1 if off."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["check"])

    def handle(self, *args: Any, **options: Any) -> None:
        totals = ledger_totals()
        self.stdout.write(f"{'currency':<9}{'debits':>18}{'credits':>18}{'balance':>14}")
        for row in totals:
            self.stdout.write(
                f"{row.currency:<9}{_amount(row.debits, row.currency):>18}"
                f"{_amount(row.credits, row.currency):>18}"
                f"{_amount(row.balance, row.currency):>14}"
            )
        imbalances = ledger_imbalances()
        mismatches = ledger_currency_mismatches()
        thin = ledger_thin_transactions()
        for off in imbalances:
            self.stderr.write(
                f"transaction #{off.transaction_id} ({off.event_key}) is off by "
                f"{_amount(off.total, off.currency)} {off.currency}"
            )
        for entry_id in mismatches:
            self.stderr.write(f"entry #{entry_id} is not in its account's currency")
        for transaction_id in thin:
            self.stderr.write(f"transaction #{transaction_id} has fewer than two entries")
        unbalanced = [row.currency for row in totals if row.balance]
        self.stdout.write(f"{ledger_transaction_count()} transactions")
        if imbalances or mismatches or thin or unbalanced:
            raise CommandError(
                f"The ledger does not balance: {len(imbalances)} transaction(s) off, "
                f"{len(mismatches)} entr(ies) in a foreign currency, "
                f"{len(thin)} transaction(s) with fewer than two entries, "
                f"currencies off: {', '.join(unbalanced) or 'none'}."
            )
        self.stdout.write(self.style.SUCCESS("The ledger balances."))


def _amount(minor: int, currency: str) -> str:
    return f"{to_major(minor):,}"
