from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "quartier.reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from quartier.ticks import register_tick

        from .publication import reviews_tick

        # Review windows that ended: publish what was written, close the booking.
        register_tick("reviews", reviews_tick, every_seconds=600)
