from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "quartier.compliance"
    label = "compliance"
    verbose_name = "Compliance (tax reporting, thresholds)"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from .dac7_duties import dac7_tick
        from .thresholds import thresholds_tick  # also registers the event handlers

        register_tick("dac7", dac7_tick, every_seconds=3600)
        register_tick("thresholds", thresholds_tick, every_seconds=6 * 3600)
