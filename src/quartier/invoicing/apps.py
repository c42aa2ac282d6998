from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "quartier.invoicing"
    label = "invoicing"
    verbose_name = "Invoices and credit notes"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from . import handlers  # noqa: F401 - registers the invoicing event handlers
        from .collection import payment_reminders_tick
        from .commission import invoicing_tick

        register_tick("invoicing", invoicing_tick, every_seconds=3600)
        register_tick("payment_reminders", payment_reminders_tick, every_seconds=3600)
