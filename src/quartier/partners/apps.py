from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """`quartier migrate` also creates the database cache table of the API rate limits."""
    call_command("createcachetable", database=using, verbosity=0)


class PartnersConfig(AppConfig):
    name = "quartier.partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self)
        # Stored-event handlers register on import: case webhooks, auto-suspension.
        from quartier.ticks import register_tick

        from .cases import lifecycle  # noqa: F401
        from .programs import services  # noqa: F401
        from .tasks import partners_tick

        register_tick("partners", partners_tick)  # overdue webhooks, SLA checks
