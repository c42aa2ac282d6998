from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "quartier.series"
    label = "series"
    verbose_name = "Recurring series"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from .occurrences import series_extend_all

        # Every active series keeps its next weeks booked (a rolling horizon).
        register_tick("series", series_extend_all, every_seconds=3600)
