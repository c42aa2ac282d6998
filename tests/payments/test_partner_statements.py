"""Partner statements by month, and EUR partners paying helpers directly with a pain.001
file from their own account: each booking's share in one file only, booked once paid."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from quartier.errors import Conflict, InvalidInput
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.direct_payments import direct_payment_file_create, direct_payment_file_paid
from quartier.payments.flows import job_refund_book
from quartier.payments.partner_statements import partner_account_set, partner_statements
from quartier.payments.payouts import payouts_run
from quartier.payments.settlement import partner_payment_record
from tests.partners.factories import make_partner
from tests.payments.money_fixtures import balance, helper, partner_share, ready_helper
from tests.payments.test_payouts import payments_in

pytestmark = pytest.mark.django_db
MOEBEL_ACCOUNT = {
    "iban": "DE02 1203 0000 0000 2020 51",
    "account_holder": "Möbel AG",
    "street": "Möbelallee",
    "house_number": "5",
    "postcode": "10115",
    "town": "Berlin",
}
ZURICH = ZoneInfo("Europe/Zurich")
MARCH = date(2026, 3, 1)
IN_MARCH = datetime(2026, 3, 15, 10, tzinfo=ZURICH)


def test_a_chf_statement_lists_the_months_shares_and_what_was_paid():
    partner, anna = make_partner(), ready_helper()
    partner_share(
        partner_id=partner.pk,
        helper_id=anna.pk,
        booking_id=1,
        price=10000,
        commission=1500,
        at=IN_MARCH,
    )
    partner_share(
        partner_id=partner.pk,
        helper_id=anna.pk,
        booking_id=2,
        price=5000,
        commission=750,
        at=datetime(2026, 3, 31, 23, 30, tzinfo=ZURICH),
    )
    partner_payment_record(
        actor=None,
        partner_id=partner.pk,
        amount_minor=6000,
        received_on=date(2026, 3, 20),
        reference="CAMT-1",
    )

    [statement] = partner_statements(partner=partner, month=MARCH)

    assert [(line.booking_id, line.helper_id, line.amount_minor) for line in statement.lines] == [
        (1, anna.pk, 10000),
        (2, anna.pk, 5000),
    ]
    assert statement.total_minor == 15000
    assert statement.payments_minor == 6000
    assert statement.open_minor == 9000


def test_an_eur_partner_pays_helpers_directly_and_the_shares_are_booked_once_paid():
    partner = make_partner(slug="moebel", name="Möbel AG")
    max_, eva, unready = ready_helper("DE"), ready_helper("DE"), helper()
    for booking, who in [(1, max_), (2, max_), (3, eva), (4, unready)]:
        partner_share(
            partner_id=partner.pk,
            helper_id=who.pk,
            booking_id=booking,
            price=10000,
            commission=1500,
            currency="EUR",
            at=IN_MARCH,
        )
    with pytest.raises(Conflict):
        direct_payment_file_create(actor=None, partner=partner, month=MARCH)
    partner_account_set(partner=partner, **MOEBEL_ACCOUNT)

    result = direct_payment_file_create(actor=None, partner=partner, month=MARCH)

    assert result.skipped_helpers == [unready.pk]
    file = result.file
    assert file is not None
    assert file.total_minor == 30000
    paid = payments_in(file.document)
    assert sorted(amount for _, amount in paid.values()) == [100, 200]
    assert "<IBAN>DE02120300000000202051</IBAN>" in file.document  # the partner's account
    assert "<StrtNm>Möbelallee</StrtNm>" in file.document  # and its address as the debtor's
    again = direct_payment_file_create(actor=None, partner=partner, month=MARCH)
    assert again.file is None  # nothing new: a booking is in one file only

    direct_payment_file_paid(actor=None, partner=partner, file_id=file.pk)

    assert balance(chart.partner_receivable(partner.pk, "EUR").code) == 10000  # the unready one
    assert balance(chart.helper_payable(max_.pk, "EUR").code) == 2 * 1500  # owes commission
    assert payouts_run(currency="EUR").run is None  # Quartier pays none of it again
    with pytest.raises(Conflict):
        direct_payment_file_paid(actor=None, partner=partner, file_id=file.pk)
    [march] = partner_statements(partner=partner, month=MARCH)
    assert (march.payments_minor, march.open_minor) == (0, 40000)  # paid later
    [now] = partner_statements(partner=partner, month=timezone.localdate().replace(day=1))
    assert (now.total_minor, now.payments_minor, now.open_minor) == (0, 30000, 10000)


def test_a_partner_account_needs_a_valid_iban_and_a_holder():
    partner = make_partner()
    with pytest.raises(InvalidInput) as caught:
        partner_account_set(partner=partner, iban="DE00 1234", account_holder=" ")
    assert set(caught.value.errors) == {
        "iban",
        "account_holder",
        "street",
        "house_number",
        "postcode",
        "town",
    }


def test_refunds_are_lines_of_their_own_and_a_eur_statement_names_the_partner():
    """A refund after a dispute lowers the partner's share: the statement shows the job and
    the refund as lines (the total is net of it), not only a lower open amount."""
    partner, anna = make_partner(), ready_helper("DE")
    partner_account_set(partner=partner, **MOEBEL_ACCOUNT)
    book_settled(partner.pk, anna.pk, booking_id=7, price=10000, currency="EUR", at=IN_MARCH)
    job_refund_book(
        event_key="refund-7",
        booking_id=7,
        refund_minor=2500,
        booked_at=datetime(2026, 3, 20, 10, tzinfo=ZURICH),
    )

    [statement] = partner_statements(partner=partner, month=MARCH)

    assert [(line.booking_id, line.kind, line.amount_minor) for line in statement.lines] == [
        (7, "job", 10000),
        (7, "refund", -2500),
    ]
    assert statement.total_minor == 7500
    assert statement.open_minor == 7500
    assert statement.address == ["Möbel AG", "Möbelallee 5", "DE-10115 Berlin"]


def book_settled(partner_id, helper_id, *, booking_id, price, currency, at):
    """A job the partner pays in full, booked as the ledger books `job.settled`."""
    from quartier.payments.facts import JobFacts, SettledJob
    from quartier.payments.flows import job_settled_book

    facts = JobFacts(booking_id, helper_id, "DE", "cleaning", "home", "DE")
    job_settled_book(
        event_key=f"settled-{booking_id}",
        job=SettledJob(
            facts=facts,
            price=Money(price, currency),
            tip=Money(0, currency),
            method="partner",
            partner_id=partner_id,
            partner_share=Money(price, currency),
            settled_at=at,
        ),
    )
