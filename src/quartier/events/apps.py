from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "quartier.events"
    label = "events"
    verbose_name = "Domain events"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from .outbox import events_deliver

        # Events whose delivery task was lost, or whose handler failed, are picked up here.
        register_tick("events", events_deliver)
