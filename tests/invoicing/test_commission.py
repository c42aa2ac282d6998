"""Quartier's monthly commission invoices to helpers: VAT by the helper's status, reverse
charge for German entrepreneurs, idempotent runs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from quartier.events.models import DomainEvent
from quartier.invoicing.commission import commission_invoices_issue, commission_tick
from quartier.invoicing.models import Invoice
from tests.invoicing.helpers import has, job, payload, payout_profile, pdf_text

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")


def settle(booking, when: datetime, price: int = 12000) -> None:
    DomainEvent.objects.create(
        kind="job.settled",
        occurred_at=when,
        payload=payload(booking, settled_at=when.isoformat(), price_minor=price),
    )


def two_jobs(market: str, status: str):
    booking = job(market)
    payout_profile(booking.helper, status)
    settle(booking, datetime(2026, 11, 3, 10, tzinfo=ZURICH))
    settle(booking, datetime(2026, 11, 30, 23, 30, tzinfo=ZURICH))
    settle(booking, datetime(2026, 10, 31, 23, 30, tzinfo=ZURICH))  # October: not in it
    settle(booking, datetime(2026, 12, 1, 0, 30, tzinfo=ZURICH))  # December: not in it
    [october] = commission_invoices_issue(year=2026, month=10)  # October's run took its job
    assert october.period == "2026-10"
    return booking


def test_swiss_helper_pays_swiss_vat_when_quartier_is_registered(settings):
    settings.QUARTIER_VAT_REGISTERED = True
    booking = two_jobs("CH", "ch_unregistered")
    [invoice] = commission_invoices_issue(year=2026, month=11)
    assert invoice.number == f"Q-{invoice.issued_at.year}-000002"  # after October's
    assert invoice.template == "commission_ch"
    assert invoice.total_minor == 2 * (1800 + 146)  # 15 % of 120.00, + 8.1 % VAT each
    text = pdf_text(invoice)
    assert has(text, "Provisionsrechnung")
    assert has(text, "Leistungserbringer Quartier AG Hardstrasse 201 CH-8005 Zürich")
    assert has(text, "MWST-Nr. CHE-123.456.789 MWST")
    assert has(text, "Leistungsempfänger Anna Muster Langstrasse 10 CH-8004 Zürich")
    assert has(text, f"Vermittlungsprovision Buchung #{booking.pk}, 03.11.2026")
    assert has(text, "Total Provision netto CHF 36.00")
    assert has(text, "MWST 8.1 % CHF 2.92")
    assert has(text, "Gesamtbetrag CHF 38.92")
    assert has(text, "Leistungszeitraum 11/2026")


def test_no_vat_on_commission_while_quartier_is_not_registered():
    two_jobs("CH", "ch_registered")
    [invoice] = commission_invoices_issue(year=2026, month=11)
    assert invoice.total_minor == 3600
    assert "MWST" not in pdf_text(invoice)


def test_german_entrepreneurs_get_reverse_charge_and_their_tax_number(settings):
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = {"CH": "8.1", "DE": "19"}
    two_jobs("DE", "de_small")
    [invoice] = commission_invoices_issue(year=2026, month=11)
    assert invoice.template == "commission_de_reverse_charge"
    assert invoice.total_minor == 3600  # no VAT from Quartier
    text = pdf_text(invoice)
    assert has(text, "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)")
    assert has(text, "Steuer-ID des Leistungsempfängers: 21/815/08150")
    assert has(text, "Gesamtbetrag 36,00 €")
    assert "%)" in text
    assert "Umsatzsteuer" not in text


def test_german_private_helpers_pay_the_configured_german_vat(settings):
    settings.QUARTIER_VAT_REGISTERED = True
    settings.QUARTIER_COMMISSION_VAT = {"CH": "8.1", "DE": "19"}
    two_jobs("DE", "de_private")
    [invoice] = commission_invoices_issue(year=2026, month=11)
    assert invoice.template == "commission_de_private"
    assert invoice.total_minor == 2 * (1800 + 342)
    assert has(pdf_text(invoice), "Umsatzsteuer 19 % 6,84 €")


def test_the_command_is_idempotent_and_checks_the_month(capsys):
    two_jobs("CH", "ch_unregistered")
    call_command("invoices", "commission", "--month", "2026-11")
    call_command("invoices", "commission", "--month", "2026-11")
    out = capsys.readouterr().out
    assert "1 commission invoices issued for 2026-11" in out
    assert "0 commission invoices issued for 2026-11" in out
    assert Invoice.objects.count() == 2  # October's and November's
    for bad in ("2026-13", "11/2026", "2026-1"):
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("invoices", "commission", "--month", bad)


def test_the_tick_issues_last_months_invoices_once():
    two_jobs("CH", "ch_unregistered")
    with time_machine.travel(datetime(2026, 12, 1, 1, tzinfo=ZURICH)):
        assert commission_tick() == "1 commission invoices issued"
        assert commission_tick() == ""
    assert Invoice.objects.filter(period="2026-11").count() == 1


def refund(booking, when: datetime, amount: int) -> None:
    DomainEvent.objects.create(
        kind="dispute.resolved",
        occurred_at=when,
        payload={"booking_id": booking.pk, "refund_minor": amount, "resolved_at": when.isoformat()},
    )


def test_a_job_settled_after_its_months_invoice_goes_on_the_next_run_once():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    settle(booking, datetime(2026, 11, 3, 10, tzinfo=ZURICH))
    [november] = commission_invoices_issue(year=2026, month=11)
    # The worker recorded a job of 30 November only after November's invoice was out.
    settle(booking, datetime(2026, 11, 30, 18, tzinfo=ZURICH), price=20000)

    assert commission_invoices_issue(year=2026, month=11) == []  # November's is issued
    [december] = commission_invoices_issue(year=2026, month=12)
    assert commission_invoices_issue(year=2026, month=12) == []  # never twice
    assert commission_invoices_issue(year=2027, month=1) == []

    assert november.total_minor == 1800
    assert december.total_minor == 3000  # 15 % of 200.00
    assert has(pdf_text(december), f"Vermittlungsprovision Buchung #{booking.pk}, 30.11.2026")


def test_a_refund_after_the_invoice_gets_a_credit_note_that_corrects_it(settings):
    settings.QUARTIER_VAT_REGISTERED = True
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    settle(booking, datetime(2026, 11, 3, 10, tzinfo=ZURICH))  # 18.00 + 1.46 VAT
    [november] = commission_invoices_issue(year=2026, month=11)
    refund(booking, datetime(2026, 12, 4, 9, tzinfo=ZURICH), 3000)  # a quarter of 120.00

    [credit] = commission_invoices_issue(year=2026, month=12)

    assert credit.kind == "credit_note"
    assert credit.original == november
    assert credit.total_minor == -(450 + 36)  # a quarter of the commission, and its VAT
    text = pdf_text(credit)
    assert has(text, "Rechnungskorrektur")
    assert has(text, f"Korrigiert Rechnung {november.number}")
    assert has(text, f"Minderung der Provision Buchung #{booking.pk}: Erstattung von CHF 30.00")
    assert commission_invoices_issue(year=2026, month=12) == []  # credited once


def test_a_refund_before_the_invoice_is_netted_on_it():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    settle(booking, datetime(2026, 11, 3, 10, tzinfo=ZURICH))
    refund(booking, datetime(2026, 11, 10, 9, tzinfo=ZURICH), 6000)

    [november] = commission_invoices_issue(year=2026, month=11)

    assert november.total_minor == 1800 - 900
    assert has(pdf_text(november), "Erstattung von CHF 60.00")
    assert commission_invoices_issue(year=2026, month=12) == []
