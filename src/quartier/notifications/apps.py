from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "quartier.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from quartier import events

        from . import receivers

        events.request_state_changed.connect(
            receivers.on_request_state_changed, dispatch_uid="notifications.request_state"
        )
        events.offer_created.connect(receivers.on_offer_created, dispatch_uid="notifications.offer")
        events.dispatch_invited.connect(
            receivers.on_dispatch_invited, dispatch_uid="notifications.invited"
        )
        # Stored events: receivers registers its @handles functions when imported (above).
