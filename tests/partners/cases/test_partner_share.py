"""A partner program's payer flows into the booking: the partner pays all (method
'partner', nothing for the customer), a split share, or nothing; and the branded page says
what the customer pays."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from quartier.bookings.checkout import booking_payment_update
from quartier.bookings.models import Booking
from quartier.bookings.services import booking_complete
from quartier.dispatch.services import invitation_accept
from quartier.errors import Conflict, Forbidden
from quartier.events.models import DomainEvent
from quartier.partners.models import ProgramService
from quartier.partners.states import Payer
from tests.factories import make_customer, play_visit
from tests.partners.test_webhooks_support import invite, open_case, setup_partner
from tests.web.test_branded import form_data


@pytest.fixture
def setup(db: None) -> Any:
    cache.clear()
    return setup_partner()


def pay(setup: Any, payer: str, percent: int) -> None:
    ProgramService.objects.filter(program=setup.program).update(
        payer=payer, partner_share_percent=percent
    )


def test_a_job_the_partner_pays_in_full_is_booked_as_partner_paid(setup):
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(open_case(setup)).pk)

    assert booking.payment_method == "partner"
    assert booking.partner_id == setup.partner.pk
    assert booking.partner_share_minor == booking.price_minor == 8900
    assert booking.customer_pays_minor == 0
    assert [(line.kind, line.total_minor) for line in booking.offer.lines.all()] == [
        ("labour", 8900)
    ]
    play_visit(booking.pk)
    settled = DomainEvent.objects.get(kind="job.settled").payload
    assert (settled["method"], settled["partner_id"]) == ("partner", setup.partner.pk)
    assert settled["partner_share_minor"] == 8900


def test_a_split_leaves_the_customer_their_share(setup):
    pay(setup, Payer.SPLIT, 30)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(open_case(setup)).pk)

    assert booking.partner_share_minor == 2670  # 30 % of 89.00
    assert booking.customer_share_minor == 6230
    assert booking.payment_method == "transfer"
    assert booking.partner_id == setup.partner.pk


def test_a_customer_paid_service_names_the_partner_but_no_share(setup):
    pay(setup, Payer.CUSTOMER, 0)
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(open_case(setup)).pk)

    assert (booking.partner_id, booking.partner_share_minor) == (setup.partner.pk, 0)
    assert booking.payment_method == "transfer"


def test_the_helper_cannot_record_cash_for_a_partner_paid_job(setup):
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(open_case(setup)).pk)
    play_visit(booking, until="checked_in")
    with pytest.raises(Conflict) as refusal:
        booking_complete(actor=setup.helper, booking_id=booking.pk, paid_cash=True)
    assert refusal.value.code == "nothing_to_pay"
    booking.refresh_from_db()
    assert (booking.state, booking.payment_method) == ("in_progress", "partner")


def test_nobody_sets_a_tip_on_a_job_the_partner_pays_in_full(setup):
    booking = invitation_accept(actor=setup.helper, invitation_id=invite(open_case(setup)).pk)
    customer = make_customer(email="paula@example.ch")
    Booking.objects.filter(pk=booking.pk).update(customer=customer)  # the case confirmed
    with pytest.raises(Conflict) as refusal:
        booking_payment_update(actor=customer, booking_id=booking.pk, tip_minor=100)
    assert refusal.value.code == "nothing_to_pay"
    with pytest.raises(Forbidden):
        booking_payment_update(actor=setup.helper, booking_id=booking.pk, tip_minor=100)
    booking.refresh_from_db()
    assert (booking.tip_minor, booking.payment_method) == (0, "partner")


@pytest.mark.parametrize(
    ("payer", "percent", "english", "german"),
    [
        pytest.param(Payer.PARTNER, 100, "you pay nothing", "Du zahlst nichts", id="partner-pays"),
        pytest.param(Payer.SPLIT, 30, "you pay CHF\xa062.30", "du zahlst 62,30\xa0CHF", id="split"),
        pytest.param(
            Payer.CUSTOMER,
            0,
            "fixed price of CHF\xa089.00, which you pay",
            "Festpreis von 89,00\xa0CHF, den du bezahlst",
            id="customer",
        ),
    ],
)
def test_the_branded_page_says_what_the_customer_pays(setup, payer, percent, english, german):
    pay(setup, payer, percent)
    html = Client().post("/p/swisstel/", form_data()).content.decode()
    assert english in html
    if payer == Payer.PARTNER:
        assert "fixed price of" not in html
    cache.clear()
    german_page = Client(headers={"accept-language": "de"}).post(
        "/p/swisstel/", form_data(contact_email="zwei@example.ch")
    )
    assert german in german_page.content.decode()
