"""`quartier demo`: seed the demo marketplace (idempotent) and print log-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from quartier.demo.seed import DEMO_PASSWORD, DOMAIN, OPERATOR_EMAIL, demo_seed
from quartier.directory.services import listing_rebuild


class Command(BaseCommand):
    help = "Seed realistic demo data (helpers, pros, customers, bookings, reviews)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_seed()
        if summary is None:
            # Seeded before the directory existed, perhaps: listings are cheap to rebuild.
            listing_rebuild()
            self.stdout.write("Demo data is there already.")
            credentials = [
                ("operator", OPERATOR_EMAIL),
                ("customer", f"customer1@{DOMAIN}"),
                ("helper", f"helper1@{DOMAIN}"),
                ("pro", f"pro1@{DOMAIN}"),
            ]
        else:
            self.stdout.write(
                f"Seeded {summary.helpers} helpers, {summary.pros} pros, {summary.customers} "
                f"customers, {summary.open_requests} open requests and "
                f"{summary.completed_bookings} completed, reviewed bookings."
            )
            credentials = [(role, email) for role, email, _ in summary.credentials]
            self.stdout.write("Time per stage:")
            for line in summary.stopwatch.lines():
                self.stdout.write(line)
        self.stdout.write(f"Log in with (password for all: {DEMO_PASSWORD}):")
        for role, email in credentials:
            self.stdout.write(f"  {role:<9} {email}")
