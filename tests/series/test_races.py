"""Two extensions of one series at once (two workers' ticks) plan each date once: the
unique (series, planned_on) constraint, with the occurrence written first in the
transaction that books it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from quartier.bookings.models import Booking
from quartier.jobs.models import JobRequest
from quartier.series.models import Occurrence, Series
from quartier.series.occurrences import series_extend
from tests.factories import make_customer, make_helper
from tests.races import race, reference_data_load
from tests.series.helpers import running_series


@pytest.fixture(scope="module", autouse=True)
def reference_data_restored(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committing_db")
def test_two_extensions_at_once_plan_every_date_once():
    customer = make_customer(email="anna@example.com")
    helper = make_helper(email="hans@example.com")
    series = running_series(customer, helper)
    expected = Occurrence.objects.filter(series=series).count()
    # Forget the dates (and free the helper) so that both extensions find them all to do.
    booking_ids = list(
        Occurrence.objects.filter(series=series).values_list("booking_id", flat=True)
    )
    Occurrence.objects.filter(series=series).delete()
    Booking.objects.filter(pk__in=booking_ids).update(
        state="cancelled", cancelled_at=series.created_at
    )
    JobRequest.objects.filter(bookings__pk__in=booking_ids).update(state="cancelled")

    outcomes = race(
        lambda: series_extend(series_id=series.pk), lambda: series_extend(series_id=series.pk)
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(len(o) for o in outcomes) == expected
    dates = list(Occurrence.objects.filter(series=series).values_list("planned_on", flat=True))
    assert len(dates) == len(set(dates)) == expected
    live = Booking.objects.filter(helper=helper, cancelled_at__isnull=True)
    assert live.count() == expected + 1  # the dates and the booking the series repeats
    assert Series.objects.get(pk=series.pk).state == "active"
