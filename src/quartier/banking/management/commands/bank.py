"""`quartier bank import FILE [FILE …]`: read camt.053 / camt.054 files of Quartier's
account, book what they pay and queue the rest for the operators (back office)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quartier.errors import QuartierError

from ...services import bank_file_import


class Command(BaseCommand):
    help = "Import bank files (ISO 20022 camt.053 / camt.054) of Quartier's own account."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imports = sub.add_parser("import", help="Import camt.053 / camt.054 files.")
        imports.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["files"]:
            try:
                result = bank_file_import(actor=None, content=path.read_bytes())
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            except QuartierError as error:
                raise CommandError(f"{path}: {error.detail}") from None
            if result.duplicate:
                self.stdout.write(f"{path}: imported before ({result.file}); nothing changed.")
                continue
            self.stdout.write(
                f"{path}: {result.file} — {result.booked} booked, {result.queued} queued for "
                f"the operators, {result.seen} seen in an earlier file, "
                f"{result.skipped} not credits (or not booked yet)."
            )
