"""The helpers a customer marked as favourites.

Its own small context, low in the layers (it needs only accounts), so that the match list
(matching), the directory and the pages above can all mark favourites; the directory sits
above matching and could not lend it to the match list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Favourite(models.Model):
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_of"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "helper"], name="favourite_once"),
            models.CheckConstraint(condition=~Q(customer=F("helper")), name="favourite_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} likes {self.helper_id}"
