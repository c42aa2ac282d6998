from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "quartier.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the erasure tick)
