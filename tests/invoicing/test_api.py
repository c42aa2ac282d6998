"""The invoices API: who may list a booking's invoices and fetch a PDF (the authorization
matrix of every invoicing operation), and what they get."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from quartier.accounts.services import api_token_create
from quartier.events import record_event
from quartier.invoicing.commission import commission_invoices_issue
from quartier.invoicing.models import Invoice
from quartier.invoicing.services import customer_invoice_issue
from tests.factories import make_customer, make_helper
from tests.invoicing.helpers import job, payload, payout_profile

pytestmark = pytest.mark.django_db

# role -> status, per operation; "commission_pdf" is the helper's own commission invoice.
MATRIX = {
    "list": {
        "anonymous": 401,
        "customer": 200,
        "helper": 200,
        "stranger": 404,
        "other_helper": 404,
        "operator": 200,
    },
    "pdf": {
        "anonymous": 401,
        "customer": 200,
        "helper": 200,
        "stranger": 404,
        "other_helper": 404,
        "operator": 200,
    },
    "commission_pdf": {
        "anonymous": 401,
        "customer": 404,
        "helper": 200,
        "stranger": 404,
        "other_helper": 404,
        "operator": 200,
    },
}


def call(user, path: str):
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}"} if user else {}
    return Client().get(f"/api/v1{path}", headers=headers)


@pytest.fixture
def world():
    booking = job("CH")
    payout_profile(booking.helper, "ch_unregistered")
    now = timezone.localtime()
    settled = payload(booking, settled_at=now.isoformat())
    record_event("job.settled", **settled)
    invoice = customer_invoice_issue(source_key="t", payload=settled)
    [commission] = commission_invoices_issue(year=now.year, month=now.month)
    users = {
        "anonymous": None,
        "customer": booking.customer,
        "helper": booking.helper,
        "stranger": make_customer(email="stranger@example.com"),
        "other_helper": make_helper(email="other@example.com"),
        "operator": make_customer(email="ops@example.com", is_staff=True),
    }
    paths = {
        "list": f"/bookings/{booking.pk}/invoices",
        "pdf": f"/invoices/{invoice.pk}/pdf",
        "commission_pdf": f"/invoices/{commission.pk}/pdf",
    }
    return users, paths, invoice


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_authorization_matrix(world, operation):
    users, paths, _ = world
    for role, expected in MATRIX[operation].items():
        response = call(users[role], paths[operation])
        assert response.status_code == expected, (operation, role, response.content[:200])
        if expected == 200 and operation != "list":
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF-")
        elif expected != 200:
            assert response["Content-Type"] == "application/problem+json"


def test_the_list_names_issuer_template_total_and_pdf_url(world):
    users, paths, invoice = world
    response = call(users["customer"], paths["list"])
    assert response.json() == [
        {
            "id": invoice.pk,
            "number": invoice.number,
            "kind": "customer_invoice",
            "issuer_name": "Anna Muster",
            "template": "ch_unregistered",
            "total_minor": 12000,
            "currency": "CHF",
            "pdf_url": f"/api/v1/invoices/{invoice.pk}/pdf",
            "payment_state": "open",
            "amount_due_minor": 12000,
        },
    ]


def test_the_pdf_is_rendered_once_and_then_served_as_stored(world):
    users, paths, invoice = world
    first = call(users["customer"], paths["pdf"]).content
    second = call(users["helper"], paths["pdf"]).content
    assert first == second == bytes(Invoice.objects.get(pk=invoice.pk).pdf.content)


def test_a_missing_booking_or_invoice_is_404(world):
    users, _, _ = world
    assert call(users["customer"], "/bookings/999999/invoices").status_code == 404
    assert call(users["operator"], "/invoices/999999/pdf").status_code == 404
