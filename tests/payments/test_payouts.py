"""Payout runs: helpers get what Quartier owes them, once, in a pain.001.001.09 file that
validates against the ISO schema; disputed money and incomplete profiles wait."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from quartier.bookings.models import Dispute
from quartier.errors import Conflict
from quartier.money import Money
from quartier.payments import chart
from quartier.payments.models import LedgerTransaction, PayoutProfile
from quartier.payments.pain001 import InvalidPaymentFile, Party, Transfer, credit_transfer_file
from quartier.payments.payout_models import PayoutItem, PayoutRun
from quartier.payments.payouts import payout_run_executed, payouts_run, quartier_debtor
from quartier.payments.profiles import payout_profile_save
from quartier.payments.services import ledger_post
from quartier.payments.settlement import partner_payment_record
from tests.factories import make_booking, make_customer, make_helper
from tests.partners.factories import make_partner
from tests.payments.money_fixtures import (
    CH_PROFILE,
    balance,
    commission_owed,
    helper,
    partner_share,
    ready_helper,
)
from tests.races import race

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
SCHEMA = xmlschema.XMLSchema(str(Path(sepaxml.__file__).parent / "schemas/pain.001.001.09.xsd"))


def payments_in(document: str) -> dict[str, tuple[str, Decimal]]:
    """{end-to-end id: (creditor IBAN, amount)} of a file, after checking it against the XSD."""
    SCHEMA.validate(document)
    tree = SCHEMA.to_dict(document)
    found = {}
    for info in tree["CstmrCdtTrfInitn"]["PmtInf"]:
        for tx in info["CdtTrfTxInf"]:
            amount = tx["Amt"]["InstdAmt"]
            found[tx["PmtId"]["EndToEndId"]] = (
                tx["CdtrAcct"]["Id"]["IBAN"],
                Decimal(str(amount["$"])),
            )
    return found


def test_a_run_pays_each_helper_the_net_once_in_a_schema_valid_file():
    partner = make_partner()
    anna, ben = ready_helper(), ready_helper()
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=1, price=10000, commission=1500
    )
    partner_share(
        partner_id=partner.pk, helper_id=ben.pk, booking_id=2, price=20000, commission=3000
    )
    commission_owed(helper_id=ben.pk, booking_id=3, amount=1000)  # netted against the share

    result = payouts_run(currency="CHF")

    run = result.run
    assert run is not None
    assert run.item_count == 2
    assert run.total_minor == 8500 + 16000
    paid = payments_in(run.document)
    assert paid == {
        f"Q-P{run.pk}-H{anna.pk}": ("CH5604835012345678009", Decimal("85.00")),
        f"Q-P{run.pk}-H{ben.pk}": ("CH5604835012345678009", Decimal("160.00")),
    }
    assert "<StrtNm>Dorfstrasse</StrtNm>" in run.document
    assert "<BldgNb>5a</BldgNb>" in run.document
    assert balance(chart.helper_payable(anna.pk, "CHF").code) == 0
    assert balance(chart.helper_payable(ben.pk, "CHF").code) == 0
    assert balance(chart.helper_receivable(ben.pk, "CHF").code) == 0
    assert balance(chart.payouts_in_transit("CHF").code) == -24500
    assert (
        LedgerTransaction.objects.get(event_key=f"payout-run:{run.pk}").subject
        == f"payout:{run.pk}"
    )

    again = payouts_run(currency="CHF")
    assert again.run is None
    assert PayoutRun.objects.count() == 1
    assert PayoutItem.objects.count() == 2


def test_only_what_came_since_is_paid_by_the_next_run():
    partner, anna = make_partner(), ready_helper()
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=1, price=10000, commission=1500
    )
    first = payouts_run(currency="CHF").run
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=2, price=4000, commission=600
    )
    second = payouts_run(currency="CHF").run
    assert first is not None
    assert second is not None
    assert (first.total_minor, second.total_minor) == (8500, 3400)


def test_helpers_without_a_complete_profile_are_skipped_and_listed():
    partner, incomplete = make_partner(), helper()
    partner_share(
        partner_id=partner.pk, helper_id=incomplete.pk, booking_id=1, price=5000, commission=750
    )
    result = payouts_run(currency="CHF")
    assert result.run is None
    assert [(s.helper_id, s.amount_minor) for s in result.skipped] == [(incomplete.pk, 4250)]
    assert "iban" in result.skipped[0].gaps
    assert "mandate" in result.skipped[0].gaps
    assert balance(chart.helper_payable(incomplete.pk, "CHF").code) == -4250


def test_a_helper_who_owes_more_than_their_shares_gets_nothing():
    partner, anna = make_partner(), ready_helper()
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=1, price=1000, commission=150
    )
    commission_owed(helper_id=anna.pk, booking_id=2, amount=2000)
    assert payouts_run(currency="CHF").run is None
    assert balance(chart.helper_payable(anna.pk, "CHF").code) == -850


def test_money_of_a_booking_with_an_open_dispute_is_held_back():
    partner, customer = make_partner(), make_customer()
    worker = make_helper()
    booking = make_booking(customer, worker)
    payout_profile_save(actor=worker, data=CH_PROFILE)
    assert PayoutProfile.objects.filter(user=worker).exists()
    partner_share(
        partner_id=partner.pk,
        helper_id=worker.pk,
        booking_id=booking.pk,
        price=9000,
        commission=1350,
    )
    partner_share(
        partner_id=partner.pk,
        helper_id=worker.pk,
        booking_id=booking.pk + 1000,
        price=2000,
        commission=300,
    )
    dispute = Dispute.objects.create(
        booking=booking, opened_by=customer, reason="poor_quality", description="Still broken."
    )

    held = payouts_run(currency="CHF")
    assert held.run is not None
    assert held.run.total_minor == 1700
    assert held.held_minor == 7650

    dispute.status, dispute.resolution = "resolved", "Fine after all."
    dispute.resolved_at = timezone.now()
    dispute.save()
    released = payouts_run(currency="CHF").run
    assert released is not None
    assert released.total_minor == 7650


def test_executing_a_chf_run_spends_the_settlement_account_first_then_the_bank():
    partner, anna = make_partner(), ready_helper()
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=1, price=10000, commission=1500
    )
    partner_payment_record(
        actor=None,
        partner_id=partner.pk,
        amount_minor=6000,
        received_on=timezone.localdate(),
        reference="CAMT-1",
    )
    run = payouts_run(currency="CHF").run
    assert run is not None

    payout_run_executed(run_id=run.pk, actor=None)

    assert balance(chart.payouts_in_transit("CHF").code) == 0
    assert balance(chart.settlement("CHF").code) == 0
    assert balance(chart.bank("CHF").code) == -2500
    with pytest.raises(Conflict):
        payout_run_executed(run_id=run.pk, actor=None)
    assert LedgerTransaction.objects.filter(kind="payout.executed").count() == 1
    call_command("ledger", "check")  # the books still balance


def test_eur_shares_the_partner_pays_directly_are_not_paid_by_quartier():
    partner, max_ = make_partner(slug="moebel"), ready_helper("DE")
    partner_share(
        partner_id=partner.pk,
        helper_id=max_.pk,
        booking_id=7,
        price=10000,
        commission=1500,
        currency="EUR",
    )
    result = payouts_run(currency="EUR")
    assert result.run is None
    assert result.held_minor == 8500


def test_the_command_writes_one_file_per_currency_and_nothing_the_second_time(tmp_path, capsys):
    partner, anna, max_ = make_partner(), ready_helper(), ready_helper("DE")
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=1, price=10000, commission=1500
    )
    # an EUR amount Quartier owes (a tip through a PSP, say): paid by Quartier's bank
    ledger_post(
        event_key="test-tip",
        kind="tip",
        booked_at=timezone.now(),
        lines=[
            (chart.bank("EUR"), Money(500, "EUR")),
            (chart.helper_payable(max_.pk, "EUR"), Money(-500, "EUR")),
        ],
    )
    call_command("payouts", "run", "--out", str(tmp_path))
    # By currency, not by name: run numbers 9 and 10 sort "10-EUR" first.
    files = sorted((p.name for p in tmp_path.iterdir()), key=lambda name: name[-7:])
    assert len(files) == 2
    assert files[0].endswith("-CHF.xml")
    assert files[1].endswith("-EUR.xml")
    eur = (tmp_path / files[1]).read_text()
    assert "<SvcLvl>" in eur
    assert "<Cd>SEPA</Cd>" in eur
    assert payments_in(eur)

    call_command("payouts", "run", "--out", str(tmp_path))
    assert len(list(tmp_path.iterdir())) == 2
    assert "nothing to pay" in capsys.readouterr().out

    run = PayoutRun.objects.get(currency="EUR")
    call_command("payouts", "executed", str(run.pk))
    assert balance(chart.bank("EUR").code) == 0
    with pytest.raises(CommandError):
        call_command("payouts", "executed", str(run.pk))


@pytest.mark.usefixtures("committing_db")
def test_two_runs_racing_pay_each_amount_once():
    partner = make_partner()
    helpers = [ready_helper() for _ in range(5)]
    for number, someone in enumerate(helpers, start=1):
        partner_share(
            partner_id=partner.pk,
            helper_id=someone.pk,
            booking_id=number,
            price=10000,
            commission=1500,
        )

    outcomes = race(lambda: payouts_run(currency="CHF"), lambda: payouts_run(currency="CHF"))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    runs = [o.run for o in outcomes if o.run is not None]
    assert len(runs) == 1
    assert runs[0].item_count == 5
    assert PayoutItem.objects.count() == 5
    assert balance(chart.payouts_in_transit("CHF").code) == -5 * 8500
    for someone in helpers:
        assert balance(chart.helper_payable(someone.pk, "CHF").code) == 0


def test_a_file_that_breaks_the_schema_is_never_produced():
    someone = Party("Anna", "not-an-iban", "Dorfstrasse", "5", "3000", "Bern", "CH")
    with pytest.raises(InvalidPaymentFile, match="IBAN"):
        credit_transfer_file(
            debtor=quartier_debtor("CHF"),
            currency="CHF",
            transfers=[Transfer(someone, 100, "E2E-1", "test")],
            execution_date=timezone.localdate(),
        )
