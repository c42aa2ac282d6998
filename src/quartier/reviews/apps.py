from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "quartier.reviews"
    verbose_name = "Reviews"
