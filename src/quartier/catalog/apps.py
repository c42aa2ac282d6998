from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "quartier.catalog"
    verbose_name = "Skill catalogue"
