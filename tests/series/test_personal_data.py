"""A member's series in their data export; closing the account ends live series; the
back office reads them."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.privacy.registry import CONTEXTS
from quartier.series.models import Series
from tests.factories import make_customer
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


def test_operators_read_a_series_and_its_dates_in_the_back_office(customer, helper):
    series = running_series(customer, helper)
    operator = make_customer(email="ops@example.com", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(operator)
    assert "Clean the flat" in admin.get("/admin/series/series/").content.decode()
    page = admin.get(f"/admin/series/series/{series.pk}/change/").content.decode()
    assert "Booked" in page  # its dates, read-only
