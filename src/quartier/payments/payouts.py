"""Payout runs: pay helpers what Quartier owes them, one pain.001.001.09 file per currency.

What a helper is owed is read from the ledger: the payable (shares partners paid for their
jobs) less the receivable (commission they owe), positive only. Money on a booking with an
open dispute is held back, and so (EUR) is a partner share the partner still has to pay the
helper directly. Helpers without a complete payout profile are skipped and listed.

A run books what it pays at once (helper payable +, payouts in transit -), in the same
database transaction that writes the file's rows, after taking the currency's payout lock:
a second run — even one racing this one — sees the payable already reduced and pays nothing
twice. An operator marks the run executed once the bank took the file (in transit +,
settlement account (CHF) or bank -; the commission the run netted moves from the settlement
account to Quartier's own).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.bookings.selectors import bookings_with_open_dispute
from quartier.errors import Conflict, InvalidInput, NotFound
from quartier.money import CURRENCIES, Money

from . import chart
from .balances import (
    helper_balances,
    helper_payable_by_subject,
    paid_direct_subjects,
    partner_open_subjects,
    settlement_balance,
)
from .models import AccountKind, LedgerEntry, PayoutProfile
from .pain001 import Party, Transfer, credit_transfer_file
from .payout_config import payout_debtor, payout_iban
from .payout_models import PayoutItem, PayoutLock, PayoutRun
from .profiles import gaps_of
from .services import Line, ledger_post


@dataclass(frozen=True, slots=True)
class Due:
    helper_id: int
    amount_minor: int  # what this run pays
    netted_minor: int  # commission owed, set off against the payable
    held_minor: int  # kept back: open disputes, shares a partner pays directly


@dataclass(frozen=True, slots=True)
class Skipped:
    helper_id: int
    amount_minor: int
    gaps: list[str]


@dataclass(slots=True)
class RunResult:
    currency: str
    run: PayoutRun | None
    skipped: list[Skipped] = field(default_factory=list)
    held_minor: int = 0


def quartier_debtor(currency: str) -> Party:
    """The account payouts in `currency` leave from (settings `QUARTIER_PAYOUT_*`)."""
    d = payout_debtor()
    return Party(
        name=d["name"],
        iban=payout_iban(currency),
        street=d["street"],
        house_number=d["house_number"],
        postcode=d["postcode"],
        town=d["town"],
        country=d["country"],
    )


def creditor_of(profile: PayoutProfile) -> Party:
    return Party(
        name=profile.account_holder,
        iban=profile.iban,
        street=profile.street,
        house_number=profile.house_number,
        postcode=profile.postcode,
        town=profile.town,
        country=profile.country,
    )


def _held(currency: str) -> dict[int, int]:
    subjects = [f"booking:{booking}" for booking in sorted(bookings_with_open_dispute())]
    held = helper_payable_by_subject(currency, subjects=subjects) if subjects else {}
    if currency == "EUR":  # EUR partners pay helpers their shares directly
        settled = frozenset(paid_direct_subjects()) | frozenset(subjects)
        for helper, owed in helper_payable_by_subject(
            currency, subjects=partner_open_subjects(currency), except_subjects=settled
        ).items():
            held[helper] = held.get(helper, 0) + owed
    return held


def payouts_due(
    currency: str, *, booked_before: datetime | None = None
) -> tuple[list[Due], dict[int, int]]:
    """What each helper is owed in `currency` now ({helper: held back} beside it); with a
    cut-off, what was booked before it (later shares wait for the next run)."""
    held = _held(currency)
    dues = []
    for helper, kinds in sorted(helper_balances(currency, booked_before=booked_before).items()):
        receivable = max(kinds.get(AccountKind.RECEIVABLE, 0), 0)
        keep = held.get(helper, 0)
        amount = -kinds.get(AccountKind.PAYABLE, 0) - receivable - keep
        if amount > 0:
            dues.append(Due(helper, amount, receivable, keep))
    return dues, held


def _profiles(helper_ids: Iterable[int]) -> dict[int, PayoutProfile]:
    ids = list(helper_ids)
    found: dict[int, PayoutProfile] = {}
    for start in range(0, len(ids), 500):
        for profile in PayoutProfile.objects.filter(user_id__in=ids[start : start + 500]):
            found[profile.user_id] = profile
    return found


def _lock(currency: str) -> None:
    """Queue behind any other run of `currency` until this transaction ends."""
    PayoutLock.objects.get_or_create(currency=currency)
    PayoutLock.objects.filter(currency=currency).update(runs=F("runs") + 1)


def payouts_run(
    *,
    currency: str,
    actor: User | None = None,
    now: datetime | None = None,
    booked_before: datetime | None = None,
) -> RunResult:
    """Write one payout run for `currency` (None when nothing is due) and book it; with
    `booked_before`, it pays only what was settled before that cut-off."""
    if currency not in CURRENCIES:
        raise InvalidInput(f"Unknown currency {currency!r}.", code="unknown_currency")
    now = now or timezone.now()
    with transaction.atomic():
        _lock(currency)
        dues, held = payouts_due(currency, booked_before=booked_before)
        profiles = _profiles(due.helper_id for due in dues)
        today = timezone.localdate(now)
        paid: list[tuple[Due, PayoutProfile]] = []
        result = RunResult(currency, None, held_minor=sum(held.values()))
        for due in dues:
            profile = profiles.get(due.helper_id) or PayoutProfile(user_id=due.helper_id)
            gaps = gaps_of(profile, today=today)
            if gaps:
                result.skipped.append(Skipped(due.helper_id, due.amount_minor, gaps))
            else:
                paid.append((due, profile))
        if paid:
            result.run = _write_run(currency, paid, actor=actor, now=now)
    return result


def _write_run(
    currency: str, paid: list[tuple[Due, PayoutProfile]], *, actor: User | None, now: datetime
) -> PayoutRun:
    total = sum(due.amount_minor for due, _ in paid)
    run = PayoutRun.objects.create(
        currency=currency,
        total_minor=total,
        item_count=len(paid),
        created_at=now,
        created_by=actor,
        document="",
    )
    PayoutItem.objects.bulk_create(
        PayoutItem(
            run=run,
            helper_id=due.helper_id,
            amount_minor=due.amount_minor,
            iban=profile.iban,
            account_holder=profile.account_holder,
        )
        for due, profile in paid
    )
    transfers = [
        Transfer(
            creditor=creditor_of(profile),
            amount_minor=due.amount_minor,
            end_to_end_id=f"Q-P{run.pk}-H{due.helper_id}",
            remittance=f"Quartier payout {run.pk}",
        )
        for due, profile in paid
    ]
    document = credit_transfer_file(
        debtor=quartier_debtor(currency),
        currency=currency,
        transfers=transfers,
        execution_date=timezone.localdate(now),
    )
    run.document = document.decode()
    run.file_name = f"quartier-payout-{run.pk}-{currency}.xml"
    run.save(update_fields=["document", "file_name"])
    ledger_post(
        event_key=f"payout-run:{run.pk}",
        kind="payout.run",
        booked_at=now,
        lines=_run_lines(currency, total, [due for due, _ in paid]),
        memo=f"Payout run #{run.pk}: {len(paid)} helpers, {Money(total, currency).amount}",
        subject=f"payout:{run.pk}",
    )
    return run


def _run_lines(currency: str, total: int, dues: list[Due]) -> list[Line]:
    """Each helper's payable settled (+ amount + commission netted), the receivable netted,
    the total in transit until the bank executes the file."""
    lines: list[Line] = [(chart.payouts_in_transit(currency), Money(-total, currency))]
    for due in dues:
        payable = Money(due.amount_minor + due.netted_minor, currency)
        lines.append((chart.helper_payable(due.helper_id, currency), payable))
        if due.netted_minor:
            receivable = chart.helper_receivable(due.helper_id, currency)
            lines.append((receivable, Money(-due.netted_minor, currency)))
    return lines


def _netted(run: PayoutRun) -> int:
    """The commission the run set off against partners' shares: Quartier's own money now,
    which leaves the settlement account with the payouts (to Quartier's bank account)."""
    receivable = LedgerEntry.objects.filter(
        transaction__event_key=f"payout-run:{run.pk}", account__kind=AccountKind.RECEIVABLE
    ).aggregate(total=Sum("amount_minor", default=0))["total"]
    return -int(receivable)


def payout_run_executed(
    *, run_id: int, actor: User | None, now: datetime | None = None
) -> PayoutRun:
    """The bank executed the run's file: the money left the settlement account (CHF; any
    part not covered by partners' money is Quartier's own, from the bank) or the bank (EUR).
    With it, the commission the run netted moves from the settlement account to Quartier's
    own account: partners' money that paid a helper's commission is no longer theirs."""
    now = now or timezone.now()
    with transaction.atomic():
        run = PayoutRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise NotFound(f"No payout run #{run_id}.")
        if run.executed_at is not None:
            raise Conflict(
                f"Payout run #{run_id} was marked executed at {run.executed_at:%Y-%m-%d %H:%M}.",
                code="payout_already_executed",
            )
        if actor is not None and actor.is_staff:
            record_operator_action(actor, "payout_run.executed", run)
        currency, total = run.currency, run.total_minor
        from_settlement = (
            min(total + _netted(run), max(settlement_balance(currency), 0))
            if currency == "CHF"
            else 0
        )
        ledger_post(
            event_key=f"payout-executed:{run.pk}",
            kind="payout.executed",
            booked_at=now,
            subject=f"payout:{run.pk}",
            memo=f"Payout run #{run.pk} executed by the bank",
            lines=[
                (chart.payouts_in_transit(currency), Money(total, currency)),
                (chart.settlement(currency), Money(-from_settlement, currency)),
                (chart.bank(currency), Money(from_settlement - total, currency)),
            ],
        )
        run.executed_at, run.executed_by = now, actor
        run.save(update_fields=["executed_at", "executed_by"])
    return run
