"""The back office shows bookings but cannot edit them: price, helper and times change only
through the services (state machine, overlap check, audit trail)."""

from __future__ import annotations

import pytest
from django.test import Client

from quartier.bookings.models import Booking
from tests.factories import make_booking, make_customer, make_helper

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client():
    operator = make_customer(email="op@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    return client


def test_an_operator_cannot_edit_a_bookings_price_helper_or_times(
    operator_client, customer, helper
):
    booking = make_booking(customer, helper)
    other = make_helper(email="other@example.com")
    url = f"/admin/bookings/booking/{booking.pk}/change/"
    page = operator_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("price_minor", "helper", "starts_at", "ends_at"):
        assert f'name="{field}"' not in html
    operator_client.post(
        url,
        {
            "price_minor": 1,
            "helper": other.pk,
            "starts_at_0": "2030-01-01",
            "starts_at_1": "10:00",
            "ends_at_0": "2030-01-01",
            "ends_at_1": "11:00",
        },
    )
    after = Booking.objects.get(pk=booking.pk)
    assert (after.price_minor, after.helper_id, after.starts_at, after.ends_at) == (
        booking.price_minor,
        booking.helper_id,
        booking.starts_at,
        booking.ends_at,
    )


def test_the_back_office_neither_adds_nor_deletes_bookings(operator_client, customer, helper):
    booking = make_booking(customer, helper)
    assert operator_client.get("/admin/bookings/booking/add/").status_code == 403
    operator_client.post(f"/admin/bookings/booking/{booking.pk}/delete/", {"post": "yes"})
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert operator_client.get("/admin/bookings/booking/").status_code == 200
