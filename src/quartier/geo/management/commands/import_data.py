"""`quartier import postcodes`: (re)load the CH and DE postcode table from installed packages."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from quartier.geo.services import postcodes_import


class Command(BaseCommand):
    help = "Import reference data: `postcodes` (Swiss and German postcodes with coordinates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=["postcodes"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = postcodes_import()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{count} postcodes in the database ({elapsed:.1f} s).")
