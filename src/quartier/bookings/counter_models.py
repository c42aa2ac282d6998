"""A counter-offer: the customer's one answer to an offer at another price or time (see
`counters`). Imported by `models`, so it loads with the app's others."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CounterStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the helper's answer")
    ACCEPTED = "accepted", _("Accepted by the helper")
    WITHDRAWN = "withdrawn", _("The helper withdrew")
    #: Ended without an answer: its offer ended (another one booked, the request cancelled).
    LAPSED = "lapsed", _("Lapsed")
    #: An open counter past `expires_at` reads as expired at once (`Counter.status_at`); the
    #: `counters` tick stores it so and tells the customer (counter_expiry.py).
    EXPIRED = "expired", _("Expired")


class Counter(models.Model):
    """The customer's terms for one offer: a price, a time, or both (the offer's where not
    countered). One round: one counter per helper and request, ever; once accepted, the
    helper's new offer at these terms (`agreed_offer`, which replaces the countered one)
    is booked at checkout like any other."""

    offer = models.OneToOneField("bookings.Offer", on_delete=models.PROTECT, related_name="counter")
    request = models.ForeignKey("jobs.JobRequest", on_delete=models.PROTECT, related_name="+")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    price_minor = models.PositiveIntegerField(help_text="Total price in minor units.")
    proposed_start = models.DateTimeField()
    proposed_end = models.DateTimeField()
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=CounterStatus.choices, default=CounterStatus.OPEN
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    agreed_offer = models.OneToOneField(
        "bookings.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreed_by_counter",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One round: the customer counters a helper once per request.
            models.UniqueConstraint(
                fields=["request", "helper"], name="one_counter_per_helper_and_request"
            ),
            models.CheckConstraint(
                condition=Q(proposed_end__gt=F("proposed_start")), name="counter_time_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "withdrawn", "lapsed", "expired"]),
                name="counter_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="counter_closed_when_answered",
            ),
            models.CheckConstraint(
                condition=Q(agreed_offer__isnull=True) | Q(status="accepted"),
                name="counter_agreed_offer_only_accepted",
            ),
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="counter_price_positive"),
        ]

    def __str__(self) -> str:
        return f"counter #{self.pk} on offer {self.offer_id} ({self.status})"

    def status_at(self, now: datetime) -> CounterStatus:
        """The status as people see it: an open counter past its time has expired."""
        if self.status == CounterStatus.OPEN and self.expires_at <= now:
            return CounterStatus.EXPIRED
        return CounterStatus(self.status)
