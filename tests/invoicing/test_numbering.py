"""Invoice numbers: per issuer series and year, sequential, without gaps — also when
issuing fails half-way and when eight issuers race (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from quartier.invoicing.models import Invoice, InvoiceCounter
from quartier.invoicing.numbering import number_format, number_take
from quartier.invoicing.services import customer_invoice_issue, invoice_store
from tests.factories import make_booking, make_customer, make_helper
from tests.invoicing.helpers import payload, payout_profile
from tests.races import race


def test_number_formats_of_helpers_and_quartier():
    assert number_format("H42", 2026, 7) == "H42-2026-0007"
    assert number_format("Q", 2026, 7) == "Q-2026-000007"


@pytest.mark.django_db(transaction=True)
def test_numbers_are_taken_only_inside_the_issuing_transaction():
    with pytest.raises(RuntimeError):
        number_take(series="H1", year=2026)


@pytest.mark.django_db
def test_each_helper_has_its_own_series_and_a_failed_issue_leaves_no_gap():
    customer = make_customer()
    anna, ben = make_helper(email="anna@example.com"), make_helper(email="ben@example.com")
    for helper in (anna, ben):
        payout_profile(helper, "ch_unregistered")

    def broken(number, today):
        raise ValueError("the snapshot could not be built")

    with pytest.raises(ValueError, match="could not be built"):
        invoice_store(
            kind="customer_invoice",
            series=f"H{anna.pk}",
            source_key="x",
            build=broken,
            helper_id=anna.pk,
        )
    numbers = []
    for days, helper in ((2, anna), (3, ben), (4, anna)):
        booking = make_booking(customer, helper, days=days)
        invoice = customer_invoice_issue(source_key=f"b{booking.pk}", payload=payload(booking))
        numbers.append(invoice.number)
    year = Invoice.objects.first().issued_at.year
    assert numbers == [
        f"H{anna.pk}-{year}-0001",
        f"H{ben.pk}-{year}-0001",
        f"H{anna.pk}-{year}-0002",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL runs writers truly in parallel (row locks); SQLite serialises "
    "every write transaction, so there is no race to lose.",
)
def test_eight_concurrent_issuers_of_one_series_get_eight_consecutive_numbers(committing_db):
    helper = make_helper()
    payout_profile(helper, "ch_unregistered")
    customer = make_customer()
    bookings = [make_booking(customer, helper, days=2 + i) for i in range(8)]

    outcomes = race(
        *[
            (lambda b=b: customer_invoice_issue(source_key=f"event:{b.pk}", payload=payload(b)))
            for b in bookings
        ]
    )

    assert all(isinstance(o, Invoice) for o in outcomes), outcomes
    year = outcomes[0].issued_at.year
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"H{helper.pk}-{year}-{n:04d}" for n in range(1, 9)]
    assert InvoiceCounter.objects.get(series=f"H{helper.pk}").last == 8
