"""Swiss and German postcodes with coordinates, imported from package-shipped data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    CH = "CH", _("Switzerland")
    DE = "DE", _("Germany")


class Postcode(models.Model):
    country = models.CharField(max_length=2, choices=Country.choices)
    postcode = models.CharField(max_length=10)
    locality = models.CharField(max_length=100)
    region = models.CharField(max_length=10, help_text="Canton or Land code, e.g. ZH, BY.")
    latitude = models.FloatField()
    longitude = models.FloatField()
    h3_cell = models.BigIntegerField()
    search_key = models.CharField(
        max_length=100, db_index=True, help_text="Folded locality for search: 'zurich'."
    )
    precision = models.CharField(
        max_length=20,
        help_text="How the coordinates were found: exact, fuzzy, postcode or neighbour.",
    )

    class Meta:
        ordering = ["country", "postcode"]
        constraints = [
            models.UniqueConstraint(fields=["country", "postcode"], name="postcode_unique")
        ]
        indexes = [models.Index(fields=["locality"])]

    def __str__(self) -> str:
        return f"{self.country}-{self.postcode} {self.locality}"
