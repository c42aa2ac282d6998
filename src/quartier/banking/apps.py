from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "quartier.banking"
    label = "banking"
    verbose_name = "Bank reconciliation"
