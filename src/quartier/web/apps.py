from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "quartier.web"
    verbose_name = "Web"
