"""The demo's money: payout profiles, settled jobs in the ledger with invoices, a past
payout run that was executed, and shares that are due now.

Run after the marketplace and the partners are seeded: the played-through jobs recorded
`job.settled` when they happened (moved into the past by the seeders), so their settlement
dates are moved with them before the ledger and invoicing book them here, at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Sum
from django.utils import timezone
from schwifty import IBAN
from stdnum.ch import uid as ch_uid
from stdnum.iso7064 import mod_11_10

from quartier.accounts.models import User
from quartier.bookings.models import Booking
from quartier.events.models import DomainEvent
from quartier.events.outbox import events_deliver
from quartier.payments.helper_payments import helper_payment_record
from quartier.payments.models import LedgerEntry
from quartier.payments.payouts import payout_run_executed, payouts_run
from quartier.payments.profiles import payout_profile_save
from quartier.payments.settlement import partner_payment_record

from .stages import Stopwatch

#: Every tenth helper has not finished their payout & tax profile: their jobs show why
#: no invoice was issued in their name, and payouts skip them.
INCOMPLETE_EVERY = 10


@dataclass
class MoneySummary:
    profiles: int = 0
    settled_jobs: int = 0
    past_runs: list[int] = field(default_factory=list)


def money_seed(*, rng: random.Random, stopwatch: Stopwatch | None = None) -> MoneySummary:
    stage = (stopwatch or Stopwatch()).stage
    summary = MoneySummary()
    with stage("payout profiles"):
        summary.profiles = _profiles(rng)
    with stage("events: books, invoices, webhooks"):
        _settlements_backdate()
        while events_deliver():  # the ledger and invoicing book the past, oldest first
            pass
    with stage("payments and payout run"):
        summary.settled_jobs = DomainEvent.objects.filter(kind="job.settled").count()
        _payments(rng, summary)
    return summary


def _payments(rng: random.Random, summary: MoneySummary) -> None:
    _partners_pay(rng)
    # Last run: what was settled until two weeks ago, paid and executed; the rest is due.
    cutoff = timezone.now() - timedelta(days=14)
    _helpers_pay_commission(rng, owed_before=cutoff - timedelta(days=7))
    for currency in ("CHF", "EUR"):
        result = payouts_run(currency=currency, now=cutoff, booked_before=cutoff)
        if result.run is not None:
            executed = cutoff + timedelta(days=2)  # the bank took the file two days later
            payout_run_executed(run_id=result.run.pk, actor=None, now=executed)
            summary.past_runs.append(result.run.pk)


def _profiles(rng: random.Random) -> int:
    helpers = User.objects.filter(is_helper=True).select_related("helper_profile")
    saved = 0
    for index, helper in enumerate(helpers.order_by("pk")):
        profile = getattr(helper, "helper_profile", None)
        if profile is None:
            continue
        complete = index % INCOMPLETE_EVERY != INCOMPLETE_EVERY - 1
        payout_profile_save(actor=helper, data=_profile_data(rng, helper, index, complete))
        saved += 1
    return saved


def _profile_data(
    rng: random.Random, helper: User, index: int, complete: bool
) -> dict[str, object]:
    country = helper.helper_profile.country
    swiss = country == "CH"
    data: dict[str, object] = {
        "provider_kind": "business" if helper.is_pro else "private",
        "legal_name": helper.full_name,
        "street": rng.choice(["Bahnhofstrasse", "Dorfstrasse", "Lindenweg", "Hauptstraße"]),
        "house_number": str(rng.randint(1, 120)),
        "postcode": helper.helper_profile.postcode,
        "town": helper.helper_profile.locality[:35],
        "country": country,
        "account_holder": helper.full_name,
        "mandate_accepted": complete,
    }
    if complete:
        account = f"{index + 1:012d}" if swiss else f"{index + 1:010d}"
        bank = "00762" if swiss else "37040044"
        data["iban"] = str(IBAN.generate(country, bank_code=bank, account_code=account))
    digits = f"{10_000_000 + index * 7919:08d}"[:8]
    if swiss:
        registered = helper.is_pro
        data["vat_status"] = "ch_registered" if registered else "ch_unregistered"
        if registered:
            data["uid"] = _swiss_uid(index)
    elif helper.is_pro:
        data["vat_status"] = "de_regular"
        data["vat_id"] = "DE" + digits + mod_11_10.calc_check_digit(digits)
    else:
        data["vat_status"] = rng.choice(["de_private", "de_private", "de_small"])
        if data["vat_status"] == "de_small":
            data["vat_id"] = "DE" + digits + mod_11_10.calc_check_digit(digits)
    return data


def _swiss_uid(index: int) -> str:
    """A UID with a valid check digit (numbers whose check would be 10 are never issued)."""
    number = 10_000_000 + index * 7919
    while (check := ch_uid.calc_check_digit(f"{number:08d}")) == "10":
        number += 1
    return f"CHE{number:08d}{check}"


def _settlements_backdate() -> None:
    """The demo played its jobs now and moved them back in time; its `job.settled` events
    (not yet handled) follow their bookings, so books and statements show the past."""
    completed = dict(
        Booking.objects.filter(completed_at__isnull=False).values_list("pk", "completed_at")
    )
    for event in DomainEvent.objects.filter(kind="job.settled").exclude(handled__isnull=False):
        done = completed.get(int(event.payload.get("booking_id", 0)))
        if done is not None:
            event.payload["settled_at"] = done.isoformat()
            event.occurred_at = done
            event.save(update_fields=["payload", "occurred_at"])


def _helpers_pay_commission(rng: random.Random, *, owed_before: datetime) -> None:
    """Most helpers paid their commission invoices by bank transfer, so what partners pay
    for their jobs is not set off against it: it is paid out."""
    owed = (
        LedgerEntry.objects.filter(
            account__owner_kind="helper",
            account__kind="receivable",
            transaction__booked_at__lt=owed_before,
        )
        .values("account__owner_id", "currency")
        .annotate(total=Sum("amount_minor"))
    )
    for row in owed:
        if row["total"] > 0 and rng.random() < 0.8:
            helper_payment_record(
                helper_id=row["account__owner_id"],
                currency=row["currency"],
                amount_minor=row["total"],
                received_on=timezone.localdate(owed_before) + timedelta(days=rng.randint(1, 6)),
                reference=f"DEMO-COMMISSION-{row['account__owner_id']}",
            )


def _partners_pay(rng: random.Random) -> None:
    """Swiss partners paid last month's statements into the settlement account."""
    owed = (
        LedgerEntry.objects.filter(
            account__owner_kind="partner", account__kind="receivable", currency="CHF"
        )
        .values("account__owner_id")
        .annotate(total=Sum("amount_minor"))
    )
    for row in owed:
        if row["total"] > 0:
            partner_payment_record(
                actor=None,
                partner_id=row["account__owner_id"],
                amount_minor=row["total"],
                received_on=timezone.localdate() - timedelta(days=rng.randint(12, 20)),
                reference=f"DEMO-{row['account__owner_id']}-{timezone.localdate():%Y%m}",
            )
