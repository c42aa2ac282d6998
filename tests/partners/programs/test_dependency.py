"""The back office lists helpers who earn most of their income from one partner program (a
misclassification risk indicator) — and nothing else reads that list."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from quartier.bookings.models import Booking
from quartier.partners.models import Case
from quartier.partners.programs.dependency import program_dependencies
from tests.factories import make_booking, make_customer, make_helper
from tests.partners.factories import make_partner, make_program

pytestmark = pytest.mark.django_db
DAYS = itertools.count(2)  # each job on its own day: a helper is never booked twice at once


def _signed_off_jobs(helper, count: int, *, program=None, price: int = 10000, days_ago: int = 10):  # type: ignore[no-untyped-def]
    customer = make_customer()
    for n in range(count):
        booking = make_booking(customer, helper, postcode="8004", days=next(DAYS))
        if program is not None:
            now = timezone.now()
            Case.objects.create(
                partner=program.partner,
                program=program,
                service=program.services.get(),
                request=booking.request,
                reference=f"T-{booking.pk}",
                contact_name="Kunde",
                contact_email=f"kunde{booking.pk}@example.com",
                first_offer_due_at=now,
                completion_due_at=now,
            )
        # The report reads signed-off jobs only; the visit itself is tested elsewhere.
        Booking.objects.filter(pk=booking.pk).update(
            price_minor=price, completed_at=timezone.now() - timedelta(days=days_ago + n)
        )


def test_a_helper_earning_most_from_one_program_is_listed_with_the_share():
    program = make_program(make_partner())
    dependent = make_helper(email="dependent@example.com", full_name="Dora Abhängig")
    varied = make_helper(email="varied@example.com", full_name="Vera Vielfalt")
    _signed_off_jobs(dependent, 5, program=program)
    _signed_off_jobs(dependent, 2)
    _signed_off_jobs(varied, 2, program=program)
    _signed_off_jobs(varied, 4)

    [row] = program_dependencies()

    assert (row.helper_name, row.program, row.jobs) == (
        "Dora Abhängig",
        "SwissTel: Home Internet",
        7,
    )
    assert (row.program_minor, row.total_minor) == (50000, 70000)
    assert round(row.share, 2) == 0.71


def test_jobs_older_than_a_year_and_few_jobs_do_not_count():
    program = make_program(make_partner())
    helper = make_helper(email="old@example.com")
    _signed_off_jobs(helper, 5, program=program, days_ago=400)
    _signed_off_jobs(helper, 3, program=program)
    assert program_dependencies() == []


def test_the_back_office_page_shows_the_list():
    program = make_program(make_partner())
    helper = make_helper(email="dependent@example.com", full_name="Dora Abhängig")
    _signed_off_jobs(helper, 5, program=program)
    operator = make_customer(email="root@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)

    page = client.get("/admin/partners/program/dependency/").content.decode()
    index = client.get("/admin/").content.decode()

    assert "Dora Abhängig" in page
    assert "100 %" in page
    assert "/admin/partners/program/dependency/" in index
