"""What the two sides of a series are told (notifications kind `booked`, with a
`series_step`; texts in notifications/email/_series.txt). Called inside the change's
transaction: a rolled-back change tells nobody."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from quartier.accounts.models import User
from quartier.households.access import delegates_of
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .models import Series


def tell_series(
    series: Series,
    step: str,
    *,
    actor: User | None = None,
    starts_at: datetime | None = None,
    **extra: object,
) -> int:
    """Tell both sides about `step` (the customer's with their live delegates), but not
    `actor` (who did it); returns how many."""
    context: dict[str, object] = {
        "series_step": step,
        "title": series.title,
        "frequency": series.get_frequency_display(),
        "helper_name": series.helper.first_name,
        "customer_name": series.customer.first_name,
        "starts_at": timezone.localtime(starts_at) if starts_at else None,
    } | extra
    told = 0
    customers = [series.customer, *delegates_of(series.customer_id)]
    for user in (*customers, series.helper):
        if actor is not None and user.pk == actor.pk:
            continue
        values = context | {"for_customer": user in customers}
        notify(user=user, kind=Kind.BOOKED, context=values, link=Link(Page.SERIES, (series.pk,)))
        told += 1
    return told
