from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "quartier.payments"
    label = "payments"
    verbose_name = "Payments (ledger)"

    def ready(self) -> None:
        from django.core import checks

        from quartier.accounts.holds import booking_hold_register
        from quartier.ticks import register_tick

        from . import (
            cancellation_fees,  # noqa: F401 - books late cancellations' fees
            handlers,  # noqa: F401 - registers the ledger's event handlers
            no_show,  # noqa: F401 - books compensations for helpers' no-shows
            payout_admin,  # noqa: F401 - payouts, partner payments in the back office
        )
        from .commission import check_configuration
        from .commission_pause import MESSAGE, commission_pause_tick
        from .payout_models import CommissionPause
        from .settlement import settlement_tick

        booking_hold_register("commission_owed", CommissionPause.objects.all, MESSAGE)
        checks.register(check_configuration)
        # Partners' money in the settlement account: alert operators at 45 and 60 days.
        register_tick("settlement", settlement_tick, every_seconds=3600)
        # Open commission over the limit pauses new bookings (never payouts).
        register_tick("commission_pause", commission_pause_tick, every_seconds=3600)
