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
        from .cases.lifecycle import connect  # case webhooks from domain events

        connect()
        from .programs.services import connect as connect_qualification  # auto-suspension

        connect_qualification()
        from quartier.ticks import register_tick

        from .tasks import partners_tick

        register_tick("partners", partners_tick)  # overdue webhooks, SLA checks
