from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Tells people things: the inbox and the one mail path. What to tell, and when, is
    decided by the context that owns the fact (e.g. `bookings.notices`), which calls in."""

    name = "quartier.notifications"
    verbose_name = "Notifications"
