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
    return booking


def test_swiss_helper_pays_swiss_vat_when_quartier_is_registered(settings):
    settings.QUARTIER_VAT_REGISTERED = True
    booking = two_jobs("CH", "ch_unregistered")
    [invoice] = commission_invoices_issue(year=2026, month=11)
    assert invoice.number == f"Q-{invoice.issued_at.year}-000001"
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
    assert Invoice.objects.count() == 1
    for bad in ("2026-13", "11/2026", "2026-1"):
        with pytest.raises(CommandError, match="YYYY-MM"):
            call_command("invoices", "commission", "--month", bad)


def test_the_tick_issues_last_months_invoices_once():
    two_jobs("CH", "ch_unregistered")
    with time_machine.travel(datetime(2026, 12, 1, 1, tzinfo=ZURICH)):
        assert commission_tick() == "1 commission invoices issued"
        assert commission_tick() == ""
    assert Invoice.objects.get().period == "2026-11"
