"""Reads of a person's own notifications and e-mail preferences."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from quartier.accounts.models import User

from .kinds import Kind
from .models import EmailOptOut, Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_count_of_user() -> Coalesce:
    """For an annotation on users: their unread notifications (as `unread_count`)."""
    counted = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def email_kinds_for(user: User) -> set[str]:
    """The kinds the user gets by e-mail (all but those opted out)."""
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return {str(kind) for kind in Kind} - opted_out
