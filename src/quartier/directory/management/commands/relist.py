"""`quartier relist`: rebuild the public directory's listings and their full-text index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from quartier.directory.services import listing_rebuild


class Command(BaseCommand):
    help = "Rebuild every helper's public listing (normally kept in step automatically)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{listing_rebuild()} listings.")
