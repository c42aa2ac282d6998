from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "quartier.events"
    label = "events"
    verbose_name = "Domain events"
