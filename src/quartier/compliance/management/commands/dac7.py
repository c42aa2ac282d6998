"""`quartier dac7 report --year YYYY --out DIR`: the platform's DAC7 report (CSV, one row per
reportable seller with the quarterly figures and what data is still missing) and every
reportable seller's statement (CSV and PDF). The XML for the BZSt is not built yet."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quartier.compliance.dac7_report import report_write


class Command(BaseCommand):
    help = "DAC7 / PStTG. `report --year YYYY --out DIR`: platform CSV and sellers' statements."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["report"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True, help="Directory to write into.")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 2023 <= year <= timezone.localdate().year:
            raise CommandError("--year must lie between 2023 (PStTG in force) and this year.")
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is not a directory.")
        written = report_write(year=year, out=out)
        sellers = (len(written) - 1) // 2
        self.stdout.write(f"{sellers} reportable seller statement(s) for {year}")
        for path in written:
            self.stdout.write(f"  {path}")
        self.stdout.write(
            self.style.WARNING("The XML for the BZSt is not built: file the report by hand.")
        )
