from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "quartier.dispatch"
    verbose_name = "Dispatch"

    def ready(self) -> None:
        from quartier.events import request_changed
        from quartier.ticks import register_tick

        from . import redispatch  # noqa: F401 - a helper's cancellation re-dispatches
        from .services import dispatch_tick, on_request_changed

        request_changed.connect(on_request_changed, dispatch_uid="dispatch.sync")
        register_tick("dispatch", dispatch_tick)  # due waves and deadlines, from the database
