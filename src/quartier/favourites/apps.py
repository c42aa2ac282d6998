from django.apps import AppConfig


class FavouritesConfig(AppConfig):
    name = "quartier.favourites"
    verbose_name = "Favourite helpers"
