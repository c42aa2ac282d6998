from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "quartier.dispatch"
    verbose_name = "Dispatch"

    def ready(self) -> None:
        from quartier.events import request_changed

        from .services import on_request_changed

        request_changed.connect(on_request_changed, dispatch_uid="dispatch.sync")
