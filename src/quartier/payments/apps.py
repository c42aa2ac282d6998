from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "quartier.payments"
    label = "payments"
    verbose_name = "Payments (ledger)"

    def ready(self) -> None:
        from django.core import checks

        from . import handlers  # noqa: F401 - registers the ledger's event handlers
        from .commission import check_configuration

        checks.register(check_configuration)
