"""Issuing from domain events: a completed job's invoice, the reason when none is issued,
credit notes after a refund; invoices never change."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quartier.events import outbox, record_event
from quartier.invoicing.models import Invoice, InvoiceWithheld
from quartier.invoicing.services import credit_note_issue, customer_invoice_issue
from quartier.payments.models import LedgerImmutable
from tests.factories import play_visit
from tests.invoicing.helpers import has, job, payload, payout_profile, pdf_text

pytestmark = pytest.mark.django_db


def complete(booking):
    play_visit(booking)  # settled at the customer's sign-off
    outbox.events_deliver()


def page(user, booking) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:booking_detail", args=[booking.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_completed_job_gets_its_invoice_and_both_parties_see_it():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    complete(booking)
    outbox.events_deliver()  # again: nothing new

    invoice = Invoice.objects.get()
    assert invoice.kind == "customer_invoice"
    assert invoice.number == f"H{booking.helper_id}-{invoice.issued_at.year}-0001"
    assert invoice.issuer_name == "Anna Muster"
    assert invoice.total_minor == booking.price_minor == 9000
    [line] = invoice.snapshot["lines"]
    assert line["kind"] == "labour"
    assert line["total_minor"] == 9000
    assert line["label"].endswith("TV box shows no picture")
    pdf_link = reverse("api-v1:invoice_pdf", args=[invoice.pk])
    for party in (booking.customer, booking.helper):
        html = page(party, booking)
        assert invoice.number in html
        assert pdf_link in html
    client = Client()
    client.force_login(booking.customer)
    response = client.get(pdf_link)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_invoice_without_a_complete_profile_and_the_helper_is_told_what_is_missing():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered", mandate_signed_at=None, iban="")
    complete(booking)

    assert not Invoice.objects.exists()
    assert InvoiceWithheld.objects.get(booking_id=booking.pk).gaps == ["iban", "mandate"]
    html = page(booking.helper, booking)
    assert "No invoice: your payout & tax profile lacks" in html
    assert "your IBAN and account holder, the signed invoicing mandate" in html
    assert "No invoice" not in page(booking.customer, booking)


def test_the_reason_is_shown_in_german_too():
    booking = job("CH")
    complete(booking)  # no profile at all
    booking.helper.preferred_language = "de"
    booking.helper.save()
    client = Client(headers={"accept-language": "de"})
    client.force_login(booking.helper)
    html = client.get(reverse("web:booking_detail", args=[booking.pk])).content.decode()
    assert "Keine Rechnung: In deinem Auszahlungs- und Steuerprofil fehlt" in html


def test_a_refund_issues_a_credit_note_in_the_same_series_that_references_the_original():
    booking = job("CH")
    payout_profile(booking.helper, "ch_registered")
    original = customer_invoice_issue(
        source_key="test:1",
        payload=payload(
            booking,
            price_minor=10810,
            lines=[
                {
                    "kind": "labour",
                    "label": "Arbeit",
                    "quantity": "1",
                    "unit_minor": 10810,
                    "vat_rate": "8.1",
                    "total_minor": 10810,
                }
            ],
        ),
    )
    record_event("dispute.resolved", booking_id=booking.pk, dispute_id=1, refund_minor=5405)
    outbox.events_deliver()

    credit = Invoice.objects.get(kind="credit_note")
    assert credit.original == original
    assert credit.series == original.series
    assert credit.number.endswith("-0002")
    assert credit.total_minor == -5405
    text = pdf_text(credit)
    assert has(text, f"Korrigiert Rechnung {original.number}")
    assert has(text, "Rechnungskorrektur im Namen und für Rechnung von Anna Muster")
    assert has(text, "davon MWST 8.1 % CHF -4.05")  # 54.05 * 8.1 / 108.1
    assert has(text, "Erstattung durch den Leistungserbringer: CHF 54.05")


def test_refunds_never_credit_more_than_the_invoice_and_zero_refunds_issue_nothing():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    original = customer_invoice_issue(source_key="t", payload=payload(booking, price_minor=10000))
    record_event("dispute.resolved", booking_id=booking.pk, dispute_id=1, refund_minor=0)
    first = credit_note_issue(source_key="r1", booking_id=booking.pk, refund_minor=7000)
    second = credit_note_issue(source_key="r2", booking_id=booking.pk, refund_minor=7000)
    third = credit_note_issue(source_key="r3", booking_id=booking.pk, refund_minor=100)
    outbox.events_deliver()
    assert (first.total_minor, second.total_minor, third) == (-7000, -3000, None)
    assert sum(Invoice.objects.values_list("total_minor", flat=True)) == 0
    assert original.corrections.count() == 2


def test_an_issued_invoice_cannot_be_changed_or_deleted():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    invoice = customer_invoice_issue(source_key="t", payload=payload(booking))
    invoice.total_minor = 1
    with pytest.raises(LedgerImmutable):
        invoice.save()
    with pytest.raises(LedgerImmutable):
        Invoice.objects.filter(pk=invoice.pk).update(total_minor=1)
    with pytest.raises(LedgerImmutable):
        invoice.delete()
    assert Invoice.objects.get().total_minor == 12000


def test_the_same_event_issues_one_invoice():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    first = customer_invoice_issue(source_key="event:1", payload=payload(booking))
    again = customer_invoice_issue(source_key="event:1", payload=payload(booking))
    other = customer_invoice_issue(source_key="event:2", payload=payload(booking))
    assert first == again == other
    assert Invoice.objects.count() == 1


def test_a_withheld_invoice_follows_once_the_profile_is_complete():
    from quartier.invoicing.services import withheld_retry
    from quartier.payments.models import PayoutProfile

    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered", mandate_signed_at=None)
    complete(booking)
    assert withheld_retry() == 0  # still incomplete
    PayoutProfile.objects.filter(user=booking.helper).update(mandate_signed_at=timezone.now())

    assert withheld_retry() == 1
    invoice = Invoice.objects.get()
    assert invoice.booking_id == booking.pk
    assert invoice.total_minor == 9000
    assert not InvoiceWithheld.objects.exists()
    assert "No invoice" not in page(booking.helper, booking)
    assert withheld_retry() == 0


def test_invoices_are_exported_and_outlive_the_erasure_of_an_account():
    from quartier.invoicing import personal_data

    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    invoice = customer_invoice_issue(source_key="t", payload=payload(booking))
    for user in (booking.customer, booking.helper):
        [row] = personal_data.export(user.pk)["invoices"]
        assert row["number"] == invoice.number
        assert row["total_minor"] == 12000
    InvoiceWithheld.objects.create(booking_id=999, helper_id=booking.helper_id, gaps=["iban"])
    personal_data.erase(booking.helper_id)
    assert not InvoiceWithheld.objects.exists()
    assert Invoice.objects.get().snapshot == invoice.snapshot  # kept, unchanged
