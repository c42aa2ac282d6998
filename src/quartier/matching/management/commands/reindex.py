"""`quartier reindex`: rebuild the match index (after changing ranking settings; nightly)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from quartier.matching.services import match_index_rebuild


class Command(BaseCommand):
    help = "Rebuild every helper's match-index rows (ranking inputs, rating time decay)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = match_index_rebuild()
        self.stdout.write(f"{rows} match-index rows in {time.perf_counter() - started:.1f} s.")
