"""A member's series in their data export; closing the account ends live series."""

from __future__ import annotations

import pytest

from quartier.privacy.registry import CONTEXTS
from quartier.series.models import Series
from tests.series.helpers import running_series

pytestmark = pytest.mark.django_db


def test_the_export_has_the_series_and_erasure_ends_it(customer, helper):
    series = running_series(customer, helper)
    exported = CONTEXTS["series"].export(customer.pk)["series"]
    assert [s["id"] for s in exported] == [series.pk]
    assert exported[0]["street_address"] == "Badenerstrasse 12"
    assert CONTEXTS["series"].export(helper.pk)["series"][0]["role"] == "helper"

    CONTEXTS["series"].erase(customer.pk)
    erased = Series.objects.get(pk=series.pk)
    assert erased.state == "ended"
    assert erased.street_address == ""
