from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "quartier.vetting"
    label = "vetting"
    verbose_name = "Vetting"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from .sweeps import vetting_tick

        # Reminders before documents expire, expiry, and deleting documents kept long enough.
        register_tick("vetting", vetting_tick, every_seconds=900)
