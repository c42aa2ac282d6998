from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "quartier.partners"
    verbose_name = "Partners"
