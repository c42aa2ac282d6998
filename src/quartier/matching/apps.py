from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "quartier.matching"
    verbose_name = "Matching"
