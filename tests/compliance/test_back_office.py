"""The back office lists the threshold alerts and the DAC7 standings (read-only), and the
prior-year EUR 25,000 check runs on the worker's tick, once a year."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quartier.compliance.dac7_duties import dac7_tick
from quartier.compliance.models import ThresholdAlert
from quartier.compliance.thresholds import thresholds_tick
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.services import ledger_post
from tests.compliance.sellers import seller
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def operator() -> Client:
    client = Client()
    client.force_login(make_customer(email="op@example.com", is_staff=True, is_superuser=True))
    return client


def last_year_jobs(helper, gross: int) -> None:
    ledger_post(
        event_key=f"last-year:{helper.pk}",
        kind="job.settled",
        booked_at=timezone.now() - timedelta(days=366),
        subject="booking:777777",
        lines=[
            (chart.jobs_gross_offset("EUR"), Money(gross, "EUR")),
            (chart.helper_jobs_gross(helper.pk, "EUR"), Money(-gross, "EUR")),
        ],
    )


def test_a_kleinunternehmer_over_25k_last_year_is_told_once_and_listed_for_operators():
    small = seller("DE", vat_status="de_small", full_name="Klara Klein", preferred_language="en")
    under = seller("DE", vat_status="de_small")
    last_year_jobs(small, 25_000_01)
    last_year_jobs(under, 25_000_00)

    assert thresholds_tick() == "thresholds: 1 raised"
    assert thresholds_tick() == ""  # once a year
    alert = ThresholdAlert.objects.get()
    assert (alert.helper_id, alert.code) == (small.pk, "de_25k_prior")

    page = operator().get("/admin/compliance/thresholdalert/").content.decode()
    assert "Klara Klein" in page
    assert "prior year over EUR 25,000" in page
    assert "€25,000.01" in page


def test_operators_see_who_is_held_and_what_is_missing():
    held = seller("DE", full_name="Hanna Halt")
    t0 = timezone.now()
    for days in (0, 15, 30):
        dac7_tick(now=t0 + timedelta(days=days))
    client = operator()
    page = client.get("/admin/compliance/dac7standing/").content.decode()
    assert "Hanna Halt" in page
    assert "date_of_birth" in page
    assert 'alt="True"' in page  # the hold column
    detail = client.get(f"/admin/compliance/dac7standing/{held.dac7_standing.pk}/change/")
    assert detail.status_code == 200
