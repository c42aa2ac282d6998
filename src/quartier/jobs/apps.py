from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "quartier.jobs"
    verbose_name = "Requests"
