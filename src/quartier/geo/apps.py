from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "quartier.geo"
    verbose_name = "Geography"
