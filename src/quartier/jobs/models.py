"""A customer's request for help and its audit trail."""

from __future__ import annotations

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from quartier.accounts.models import PendingContact, User
from quartier.catalog.models import Skill

from .states import RequestState


class JobRequest(models.Model):
    """What a customer needs, where and when. The state field is the job's lifecycle."""

    # Empty only while a partner's case waits for the owner of an existing account to
    # confirm it is theirs; the case then runs on `pending_contact`.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
    )
    pending_contact = models.ForeignKey(
        PendingContact,
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="requests")
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=4000)
    # The exact address is shown only to the booked helper (see jobs.selectors).
    street_address = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    postcode = models.CharField(max_length=10)
    locality = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    h3_cell = models.BigIntegerField(db_index=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    budget_minor = models.PositiveIntegerField(null=True, blank=True)
    # The customer asks for an urgent repair: in Germany, work they expressly asked for on
    # such a visit carries no right of withdrawal (§ 312g Abs. 2 Nr. 11 BGB).
    urgent = models.BooleanField(default=False)
    currency = models.CharField(max_length=3)
    state = models.CharField(
        max_length=12, choices=RequestState.choices, default=RequestState.REQUESTED
    )
    booked_helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="booked_requests",
        help_text="Set when an offer is accepted; the only helper who sees the address.",
    )
    # Several helpers booked together (a move), or several visits (`RequestVisit`): one
    # booking per helper or visit (see multi.py). 1 and no visits: the one-helper request.
    helpers_needed = models.PositiveSmallIntegerField(default=1)
    visit_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(helpers_needed__gte=1, helpers_needed__lte=6),
                name="request_helpers_needed_1_6",
            ),
            models.CheckConstraint(
                condition=Q(visit_count=0) | Q(visit_count__gte=2, visit_count__lte=10),
                name="request_visit_count_0_or_2_10",
            ),
            models.CheckConstraint(
                condition=Q(helpers_needed=1) | Q(visit_count=0),
                name="request_helpers_or_visits",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=F("window_start")), name="request_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(state__in=RequestState.values), name="request_state_known"
            ),
            models.CheckConstraint(
                condition=Q(currency__in=["CHF", "EUR"]), name="request_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(customer__isnull=False) | Q(pending_contact__isnull=False),
                name="request_has_customer_or_contact",
            ),
        ]
        indexes = [models.Index(fields=["state", "skill"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title} ({self.postcode} {self.locality})"

    @property
    def contact(self) -> User | PendingContact:
        """Who the job is for: the customer, or a partner's not yet confirmed contact."""
        contact = self.customer or self.pending_contact
        assert contact is not None  # request_has_customer_or_contact
        return contact

    @property
    def slots(self) -> int:
        """How many bookings make the request booked: helpers, or visits, or one."""
        return max(self.helpers_needed, self.visit_count, 1)

    @property
    def is_multi(self) -> bool:
        return self.slots > 1


class RequestEvent(models.Model):
    """Append-only audit trail: every state change and who made it."""

    request = models.ForeignKey(JobRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.from_state or '∅'} -> {self.to_state}"


class Participant(models.Model):
    """A helper who took part in a request (made an offer): they keep seeing it even if it
    later leaves their skills or area. Written by bookings through `request_participant_add`
    in the transaction of the offer, so jobs needs nothing of bookings to answer."""

    request = models.ForeignKey(JobRequest, on_delete=models.CASCADE, related_name="participants")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # On a request for several helpers or visits: the helper holds a live booking on it
    # (`booked_helper` names only one); they see the address and the team's conversation.
    booked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "helper"], name="participant_once")
        ]

    def __str__(self) -> str:
        return f"helper {self.helper_id} on #{self.request_id}"


class RequestVisit(models.Model):
    """One of the visits a multi-day request asks for (a garden over three days): each is
    booked on its own, with its own visit, sign-off and invoice."""

    request = models.ForeignKey(JobRequest, on_delete=models.CASCADE, related_name="visits")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["request_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="request_visit_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="request_visit_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"visit {self.number} of #{self.request_id}"


def photo_path(photo: RequestPhoto, filename: str) -> str:
    """A random name: the customer's file name stays in the row, not on disk."""
    return f"requests/photos/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class RequestPhoto(models.Model):
    """A photo the customer attached (a broken router, a wardrobe to assemble). Stored under
    MEDIA_ROOT (0600), never at a public URL: served only to the request's parties through
    a view that checks who asks (dispatch.request_photos)."""

    request = models.ForeignKey(JobRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path, max_length=200)
    name = models.CharField(max_length=120, help_text="The file's name on the customer's device.")
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"photo {self.pk} of #{self.request_id}"
