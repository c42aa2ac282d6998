"""`quartier settlement check`: partners' money in the settlement account by age; exits 1
when any of it is older than 60 days. `quartier settlement record-payment`: a partner paid."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quartier.errors import QuartierError
from quartier.money import to_major, to_minor
from quartier.partners.models import Partner
from quartier.payments.payout_config import settlement_alert_days
from quartier.payments.settlement import (
    partner_payment_record,
    settlement_aged,
    settlement_overdue,
)


class Command(BaseCommand):
    help = "The settlement account (CHF): `check` (fails past 60 days), `record-payment`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="Money by age; exit 1 if any is older than 60 days.")
        pay = sub.add_parser("record-payment", help="A partner paid its statement.")
        pay.add_argument("--partner", required=True, help="The partner's slug.")
        pay.add_argument("--amount", required=True, help="In francs, e.g. 1234.50.")
        pay.add_argument("--received-on", required=True, type=date.fromisoformat)
        pay.add_argument("--reference", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "record-payment":
            self._record(options)
            return
        aged = settlement_aged()
        for money in aged:
            received = timezone.localtime(money.received_at)
            self.stdout.write(
                f"{received:%Y-%m-%d} {to_major(money.remaining_minor):>14} CHF "
                f"{money.age_days:>4} days  {money.event_key}"
            )
        total = sum(money.remaining_minor for money in aged)
        self.stdout.write(f"In the settlement account: {to_major(total)} CHF")
        limit = settlement_alert_days()[-1]
        overdue = settlement_overdue()
        if overdue:
            raise CommandError(
                f"{to_major(sum(m.remaining_minor for m in overdue))} CHF are older than "
                f"{limit} days: pay them out now."
            )
        self.stdout.write(self.style.SUCCESS(f"Nothing is older than {limit} days."))

    def _record(self, options: dict[str, Any]) -> None:
        partner = Partner.objects.filter(slug=options["partner"]).first()
        if partner is None:
            raise CommandError(f"No partner {options['partner']!r}.")
        try:
            amount = to_minor(Decimal(options["amount"]))
        except (InvalidOperation, ValueError) as error:
            raise CommandError(f"Not an amount: {options['amount']!r}.") from error
        try:
            payment = partner_payment_record(
                actor=None,
                partner_id=partner.pk,
                amount_minor=amount,
                received_on=options["received_on"],
                reference=options["reference"],
            )
        except QuartierError as error:
            raise CommandError(f"{error.detail} {error.errors or ''}".strip()) from error
        self.stdout.write(self.style.SUCCESS(f"Recorded payment #{payment.pk} of {partner.name}."))
