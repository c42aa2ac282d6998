from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "quartier.matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from quartier.events import helper_changed

        from . import notices  # noqa: F401  (registers the suspension notices)
        from .services import on_helper_changed

        helper_changed.connect(on_helper_changed, dispatch_uid="matching.refresh_index")
