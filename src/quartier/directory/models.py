"""The public directory: one searchable listing per helper who can be booked.

`document` holds the listing's words (name, company, bio, skills in German and English,
locality) folded to plain lower-case ASCII ("Zürich" -> "zurich"), so that a search for
"zurich", "Zürich" or "Zuerich" finds the same helpers on SQLite (FTS5 table
`directory_fts`) and PostgreSQL (GIN index over to_tsvector('simple', document)).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Listing(models.Model):
    helper = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing"
    )
    document = models.TextField()
    skills = models.CharField(
        max_length=500,
        help_text='Skill slugs between spaces (" cleaning tv-set-top-box "), to filter.',
    )
    country = models.CharField(max_length=2)
    locality = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    hourly_rate_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    rating_average = models.FloatField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["country", "latitude", "longitude"], name="listing_area"),
            models.Index(fields=["-rating_average"], name="listing_rating"),
        ]

    def __str__(self) -> str:
        return f"listing of {self.helper_id}"
