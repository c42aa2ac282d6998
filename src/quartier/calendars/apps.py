from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "quartier.calendars"
    label = "calendars"
    verbose_name = "Calendar feeds"
