from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "quartier.bookings"
    verbose_name = "Offers & bookings"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from .before_visit import before_visit_tick
        from .counter_expiry import counters_expire
        from .visit import booking_auto_sign_off

        # Bookings awaiting sign-off for 48 hours without a dispute are signed off.
        register_tick("sign_off", booking_auto_sign_off)
        # Reminders before the visit (contact, confirmation) and the 12-hour care line.
        register_tick("before_visit", before_visit_tick)
        # Counter-offers that expired unanswered: stored so, and the customer is told.
        register_tick("counters", counters_expire)
