"""The settlement account: partners' payments in, aged oldest-first; operators hear at 45 and
60 days, and `quartier settlement check` fails while money is older than 60 days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from quartier.errors import Conflict, InvalidInput
from quartier.payments import chart
from quartier.payments.payout_models import PartnerPayment
from quartier.payments.payouts import payout_run_executed, payouts_run
from quartier.payments.settlement import (
    partner_payment_record,
    settlement_aged,
    settlement_tick,
)
from tests.factories import UserFactory
from tests.partners.factories import make_partner
from tests.payments.money_fixtures import balance, commission_owed, partner_share, ready_helper

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pay(partner, amount, day, reference):
    return partner_payment_record(
        actor=None, partner_id=partner.pk, amount_minor=amount, received_on=day, reference=reference
    )


def test_a_partner_payment_moves_its_debt_into_the_settlement_account():
    partner = make_partner()
    partner_share(
        partner_id=partner.pk,
        helper_id=ready_helper().pk,
        booking_id=1,
        price=10000,
        commission=1500,
    )
    pay(partner, 10000, timezone.localdate(), "CAMT-1")
    assert balance(chart.settlement("CHF").code) == 10000
    assert balance(chart.partner_receivable(partner.pk, "CHF").code) == 0


def test_the_same_bank_reference_is_recorded_once_and_overpayment_is_refused():
    partner = make_partner()
    partner_share(
        partner_id=partner.pk,
        helper_id=ready_helper().pk,
        booking_id=1,
        price=10000,
        commission=1500,
    )
    pay(partner, 4000, timezone.localdate(), "CAMT-1")
    with pytest.raises(Conflict) as twice:
        pay(partner, 4000, timezone.localdate(), "CAMT-1")
    assert twice.value.code == "payment_recorded"
    with pytest.raises(Conflict) as over:
        pay(partner, 7000, timezone.localdate(), "CAMT-2")
    assert over.value.code == "overpayment"
    assert PartnerPayment.objects.count() == 1
    assert balance(chart.settlement("CHF").code) == 4000


@pytest.mark.parametrize(
    ("amount", "day", "currency", "field"),
    [
        (0, date(2026, 1, 5), "CHF", "amount_minor"),
        (100, date(2999, 1, 1), "CHF", "received_on"),
        (100, date(2026, 1, 5), "EUR", "currency"),
    ],
)
def test_bad_payments_are_refused_with_the_field(amount, day, currency, field):
    partner = make_partner()
    with pytest.raises(InvalidInput) as caught:
        partner_payment_record(
            actor=None,
            partner_id=partner.pk,
            amount_minor=amount,
            received_on=day,
            reference="X",
            currency=currency,
        )
    assert field in caught.value.errors
    assert not PartnerPayment.objects.exists()


def test_money_is_aged_first_in_first_out():
    partner = make_partner()
    anna = ready_helper()
    partner_share(
        partner_id=partner.pk, helper_id=anna.pk, booking_id=1, price=30000, commission=4500
    )
    today = timezone.localdate()
    pay(partner, 10000, today - timedelta(days=50), "OLD")
    pay(partner, 20000, today - timedelta(days=10), "NEW")
    run = payouts_run(currency="CHF").run
    assert run is not None
    payout_run_executed(run_id=run.pk, actor=None)  # 25500 out: all of OLD, 15500 of NEW

    aged = settlement_aged()
    assert [(m.remaining_minor, m.age_days) for m in aged] == [(4500, 10)]


def test_operators_hear_at_45_and_the_guard_moves_the_money_out_before_60_days(
    settings, django_capture_on_commit_callbacks
):
    """The tick tells operators at 45 days; at 55 its hard guard moves what is still there
    to Quartier's own account (the helper's payable stays owed); a worker that was down past
    60 days makes `settlement check` fail until the tick runs."""
    settings.TASKS = IMMEDIATE
    operator = UserFactory(
        is_staff=True, is_customer=False, email="ops@quartier.example", preferred_language="en"
    )
    partner = make_partner()
    helper_id = ready_helper().pk
    partner_share(
        partner_id=partner.pk, helper_id=helper_id, booking_id=1, price=10000, commission=1500
    )
    pay(partner, 10000, timezone.localdate(), "CAMT-1")
    call_command("settlement", "check")

    with (
        time_machine.travel(timezone.now() + timedelta(days=46)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert settlement_tick()
        assert not settlement_tick()  # told once per age
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [operator.email]
    assert "100.00 CHF" in mail.outbox[0].body

    with (
        time_machine.travel(timezone.now() + timedelta(days=61)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        with pytest.raises(CommandError, match="older than 60 days"):
            call_command("settlement", "check")  # the worker was down
        assert "moved 100.00 CHF" in settlement_tick()
        call_command("settlement", "check")
        assert balance(chart.settlement("CHF").code) == 0
        assert balance(chart.bank("CHF").code) == 10000
        assert balance(chart.helper_payable(helper_id, "CHF").code) == -8500  # still owed
        assert settlement_tick() == ""  # nothing moved twice
    assert len(mail.outbox) == 3  # 45 days, 60 days, and what the guard moved
    assert "own account" in mail.outbox[2].subject
    assert "100.00 CHF" in mail.outbox[2].body


def test_the_record_payment_command_books_a_payment(capsys):
    partner = make_partner()
    partner_share(
        partner_id=partner.pk,
        helper_id=ready_helper().pk,
        booking_id=1,
        price=10000,
        commission=1500,
    )
    call_command(
        "settlement",
        "record-payment",
        "--partner",
        partner.slug,
        "--amount",
        "99.50",
        "--received-on",
        timezone.localdate().isoformat(),
        "--reference",
        "CAMT-9",
    )
    assert balance(chart.settlement("CHF").code) == 9950
    with pytest.raises(CommandError):
        call_command(
            "settlement",
            "record-payment",
            "--partner",
            partner.slug,
            "--amount",
            "abc",
            "--received-on",
            "2026-01-01",
            "--reference",
            "CAMT-10",
        )


def test_an_executed_run_takes_the_commission_it_netted_out_of_the_settlement_account():
    """The partner paid 100.00 for the helper's job; the helper owed 15.00 commission on
    another: the run pays 85.00, and the 15.00 are Quartier's own money from then on."""
    partner, helper_id = make_partner(), ready_helper().pk
    partner_share(
        partner_id=partner.pk, helper_id=helper_id, booking_id=1, price=10000, commission=0
    )
    commission_owed(helper_id=helper_id, booking_id=2, amount=1500)
    pay(partner, 10000, timezone.localdate(), "CAMT-1")

    run = payouts_run(currency="CHF").run
    assert run is not None
    assert run.total_minor == 8500
    payout_run_executed(run_id=run.pk, actor=None)

    assert balance(chart.settlement("CHF").code) == 0
    assert balance(chart.bank("CHF").code) == 1500
    assert balance(chart.helper_receivable(helper_id, "CHF").code) == 0
