from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "quartier.web"
    verbose_name = "Web"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the static-files check)
