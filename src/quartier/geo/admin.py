from django.contrib import admin

from .models import Postcode


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin[Postcode]):
    list_display = [
        "country",
        "postcode",
        "locality",
        "region",
        "latitude",
        "longitude",
        "precision",
    ]
    list_filter = ["country", "precision", "region"]
    search_fields = ["postcode", "locality"]
