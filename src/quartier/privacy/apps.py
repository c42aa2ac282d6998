from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "quartier.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from . import services  # noqa: F401  (registers the erasure tick)
        from .retention import retention_run

        register_tick("retention", retention_run, every_seconds=86400)  # after the erasures
