from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "quartier.bookings"
    verbose_name = "Offers & bookings"
