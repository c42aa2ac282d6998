from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "quartier.demo"
    verbose_name = "Demo data"
