from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "quartier.cards"
    label = "cards"
    verbose_name = "Card and TWINT (payment provider)"

    def ready(self) -> None:
        from quartier.bookings.settlement import METHOD_REFINERS

        from . import admin, handlers  # noqa: F401 - registers event handlers, back office
        from .selectors import provider_method_of

        METHOD_REFINERS.append(provider_method_of)
