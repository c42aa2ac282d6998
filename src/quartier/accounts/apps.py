from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "quartier.accounts"
    verbose_name = "Accounts"
