from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "quartier.households"
    verbose_name = "Households"
