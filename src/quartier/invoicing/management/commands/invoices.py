"""`quartier invoices commission --month YYYY-MM`: issue the month's commission invoices."""

from __future__ import annotations

import re
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from quartier.invoicing.commission import commission_invoices_issue
from quartier.money import to_major


class Command(BaseCommand):
    help = "Invoices. `commission --month YYYY-MM`: Quartier's commission invoices (idempotent)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["commission"])
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-11")

    def handle(self, *args: Any, **options: Any) -> None:
        match = re.fullmatch(r"(\d{4})-(\d{2})", options["month"])
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError(f"--month {options['month']!r}: write it as YYYY-MM, e.g. 2026-11.")
        issued = commission_invoices_issue(year=int(match[1]), month=int(match[2]))
        for invoice in issued:
            self.stdout.write(
                f"{invoice.number}  helper #{invoice.helper_id}  "
                f"{to_major(invoice.total_minor)} {invoice.currency}"
            )
        self.stdout.write(f"{len(issued)} commission invoices issued for {options['month']}")
