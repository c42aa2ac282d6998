"""Threshold monitors: the German EUR 100,000 limit is announced when the crossing job is
booked and again — with the switch to regular VAT — before its invoice is issued, so the
crossing invoice already shows VAT; the Swiss VAT and AHV limits are announced once; the
helper confirms or changes their VAT status."""

from __future__ import annotations

import pytest
from django.utils import timezone

from quartier.compliance import thresholds
from quartier.compliance.models import ThresholdAlert
from quartier.errors import InvalidInput
from quartier.events import outbox, record_event
from quartier.invoicing.models import Invoice, InvoiceKind
from quartier.invoicing.rules import shows_vat
from quartier.money import Money
from quartier.notifications.models import Notification
from quartier.payments import chart
from quartier.payments.models import PayoutProfile
from quartier.payments.services import ledger_post
from tests.compliance.sellers import complete_tax_data, seller
from tests.factories import make_booking, make_customer, play_visit

pytestmark = pytest.mark.django_db


def earlier_jobs(helper, gross: int, currency: str, commission: int = 0) -> None:
    """Jobs settled earlier this year, as the ledger booked them."""
    lines = [
        (chart.jobs_gross_offset(currency), Money(gross, currency)),
        (chart.helper_jobs_gross(helper.pk, currency), Money(-gross, currency)),
    ]
    if commission:
        lines += [
            (chart.helper_receivable(helper.pk, currency), Money(commission, currency)),
            (chart.commission_revenue(currency), Money(-commission, currency)),
        ]
    ledger_post(
        event_key=f"earlier:{helper.pk}",
        kind="job.settled",
        booked_at=timezone.now().replace(month=1, day=2),
        subject="booking:999999",
        lines=lines,
    )


def tax_notes(helper) -> list[Notification]:
    return list(Notification.objects.filter(user=helper, kind="tax").order_by("id"))


def test_the_kleinunternehmer_is_warned_before_the_invoice_that_crosses_100k():
    helper = seller("DE", vat_status="de_small", preferred_language="en")
    complete_tax_data(helper)
    earlier_jobs(helper, 99_950_00, "EUR")
    customer = make_customer(preferred_language="de")

    booking = make_booking(customer, helper, country="DE", postcode="10117")  # EUR 90.00
    outbox.events_deliver()
    ahead = ThresholdAlert.objects.get(helper=helper, code="de_100k_ahead")
    assert ahead.turnover_minor == 100_040_00
    assert ahead.booking_id == booking.pk
    assert [n.title for n in tax_notes(helper)] == [
        "This booking takes your turnover over EUR 100,000"
    ]
    assert not Invoice.objects.filter(booking_id=booking.pk).exists()

    play_visit(booking)  # the customer signs off: the job is settled
    outbox.events_deliver()
    crossed = ThresholdAlert.objects.get(helper=helper, code="de_100k_crossed")
    invoice = Invoice.objects.get(booking_id=booking.pk, kind=InvoiceKind.CUSTOMER_INVOICE)
    notes = tax_notes(helper)
    assert notes[-1].title == "Over EUR 100,000: no longer a small business (§ 19 UStG)"
    assert notes[-1].created_at <= invoice.issued_at
    assert crossed.raised_at <= invoice.issued_at
    profile = PayoutProfile.objects.get(user=helper)
    assert profile.vat_status == "de_regular"
    assert profile.vat_valid_from == invoice.issued_at.date()
    assert shows_vat(invoice.template), invoice.template  # the crossing job bears VAT

    outbox.events_deliver()  # nothing is raised twice
    assert ThresholdAlert.objects.filter(helper=helper).count() == 2


def test_a_job_under_the_limit_raises_nothing_and_keeps_the_small_business_invoice():
    helper = seller("DE", vat_status="de_small", preferred_language="en")
    earlier_jobs(helper, 20_000_00, "EUR")
    booking = make_booking(make_customer(), helper, country="DE", postcode="10117")
    play_visit(booking)
    outbox.events_deliver()
    assert not ThresholdAlert.objects.filter(helper=helper).exists()
    assert tax_notes(helper) == []
    invoice = Invoice.objects.get(booking_id=booking.pk, kind=InvoiceKind.CUSTOMER_INVOICE)
    assert not shows_vat(invoice.template)
    assert PayoutProfile.objects.get(user=helper).vat_status == "de_small"


def settle(helper, price: int, currency: str = "CHF"):
    event = record_event(
        "job.settled", booking_id=4242, request_id=0, helper_id=helper.pk, customer_id=None,
        price_minor=price, currency=currency, settled_at=timezone.now().isoformat(),
        market="CH", skill="cleaning", category="home", helper_country="CH",
    )  # fmt: skip
    thresholds.on_job_settled(event)


def test_swiss_side_income_over_2500_brings_the_ahv_notice(settings):
    settings.QUARTIER_COMMISSION = {"default": "0.15"}
    helper = seller("CH", preferred_language="en")
    earlier_jobs(helper, 2_900_00, "CHF", commission=435_00)  # net 2,465.00
    settle(helper, 90_00)  # net + 76.50
    alert = ThresholdAlert.objects.get(helper=helper)
    assert (alert.code, alert.turnover_minor) == ("ch_ahv_2500", 2_541_50)
    assert [n.title for n in tax_notes(helper)] == ["Side income over CHF 2,500: AHV contributions"]
    settle(helper, 50_00)
    assert ThresholdAlert.objects.filter(helper=helper).count() == 1


def test_swiss_turnover_over_100k_asks_about_vat_and_the_helper_answers():
    helper = seller("CH", preferred_language="en")
    earlier_jobs(helper, 99_990_00, "CHF", commission=99_990_00 * 15 // 100)
    settle(helper, 100_00)
    alert = ThresholdAlert.objects.get(helper=helper, code="ch_vat_100k")
    assert "Turnover over CHF 100,000: VAT registration" in [n.title for n in tax_notes(helper)]

    with pytest.raises(InvalidInput):  # registered needs the UID: nothing changes
        thresholds.alert_confirm(actor=helper, alert_id=alert.pk, vat_status="ch_registered")
    alert.refresh_from_db()
    assert alert.confirmed_at is None
    assert PayoutProfile.objects.get(user=helper).vat_status == "ch_unregistered"

    thresholds.alert_confirm(actor=helper, alert_id=alert.pk, vat_status="ch_unregistered")
    alert.refresh_from_db()
    assert alert.confirmed_at is not None
    assert alert.confirmed_vat_status == "ch_unregistered"
