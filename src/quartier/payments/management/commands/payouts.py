"""`quartier payouts run --out DIR`: one pain.001.001.09 file per currency of what Quartier
owes helpers; `quartier payouts executed RUN_ID`: the bank carried a file out."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quartier.errors import QuartierError
from quartier.money import CURRENCIES, to_major
from quartier.payments.payouts import payout_run_executed, payouts_run


class Command(BaseCommand):
    help = "Payouts to helpers: `run --out DIR` writes the files; `executed RUN_ID` books one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Write one pain.001 file per currency and book it.")
        run.add_argument("--out", required=True, type=Path, help="Directory for the files.")
        run.add_argument("--currency", choices=sorted(CURRENCIES), help="Only this currency.")
        run.add_argument(
            "--until",
            type=date.fromisoformat,
            help="Cut-off (YYYY-MM-DD): pay only what was settled before this day.",
        )
        done = sub.add_parser("executed", help="The bank executed a run's file.")
        done.add_argument("run_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "executed":
                run = payout_run_executed(run_id=options["run_id"], actor=None)
                self.stdout.write(self.style.SUCCESS(f"Payout run #{run.pk} booked as executed."))
                return
            until = options["until"]
            cutoff = timezone.make_aware(datetime.combine(until, time.min)) if until else None
            currencies = [options["currency"]] if options["currency"] else None
            self._run(options["out"], currencies, cutoff)
        except QuartierError as error:
            raise CommandError(error.detail) from error

    def _run(self, out: Path, currencies: list[str] | None, cutoff: datetime | None) -> None:
        out.mkdir(parents=True, exist_ok=True)
        for currency in currencies or sorted(CURRENCIES):
            result = payouts_run(currency=currency, booked_before=cutoff)
            for skipped in result.skipped:
                self.stderr.write(
                    f"{currency}: helper #{skipped.helper_id} skipped "
                    f"({to_major(skipped.amount_minor)} due; missing: {', '.join(skipped.gaps)})"
                )
            if result.held_minor:
                self.stdout.write(f"{currency}: {to_major(result.held_minor)} held back")
            if result.run is None:
                self.stdout.write(f"{currency}: nothing to pay")
                continue
            run = result.run
            path = out / run.file_name
            path.write_text(run.document, encoding="utf-8")
            self.stdout.write(
                f"{currency}: run #{run.pk}, {run.item_count} payments, "
                f"{to_major(run.total_minor)} {currency} -> {path}"
            )
