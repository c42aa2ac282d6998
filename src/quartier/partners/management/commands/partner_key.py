"""`quartier partner_key <partner-slug> [--name N]`: create a partner API key and print it.

For operators on the server (demo, example client, a partner's first key); partner admins
create and rotate keys on the partner settings page. The key is printed once.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from quartier.partners.integration.keys import api_key_create_unchecked
from quartier.partners.models import Partner


class Command(BaseCommand):
    help = "Create an API key for a partner and print it (shown only once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("partner", help="The partner's slug, e.g. swisstel.")
        parser.add_argument("--name", default="CLI", help="What the key is for (default: CLI).")

    def handle(self, *args: Any, **options: Any) -> None:
        partner = Partner.objects.filter(slug=options["partner"]).first()
        if partner is None:
            slugs = ", ".join(Partner.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No partner {options['partner']!r} (partners: {slugs}).")
        key, raw = api_key_create_unchecked(partner=partner, name=options["name"])
        self.stderr.write(f"API key {key.name!r} for {partner.name} (shown once):")
        self.stdout.write(raw)
