"""The settlement account (CHF): partners' payments in, helpers' payouts out, 60 days at most.

Quartier may hold partners' money only as a settlement account (Art. 5 Abs. 3 lit. c BankV):
no interest, paid on within 60 days. Its money is aged first-in, first-out — every payout
leaves from the oldest inflow still there — so "the oldest franc" is well defined. The tick
tells operators once when an inflow passes 45 days and again at 60; `quartier settlement
check` fails while any money is older than 60 days.

The hard guard (`settlement_guard`, run by the same hourly tick): whatever is still in the
settlement account after 55 days (`QUARTIER_SETTLEMENT_GUARD_DAYS`) — shares held back by a
dispute or an incomplete payout profile, a partner's overpayment after a refund, commission
a payout could not net — is moved to Quartier's own account (settlement -, bank +), and the
operators are told. What Quartier owes for it stays on the helper's or partner's account and
is paid later from Quartier's own money, as a payout beyond the settlement balance already is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, InvalidInput, NotFound
from quartier.money import Money
from quartier.notifications.kinds import AddressKind
from quartier.notifications.services import notify_address
from quartier.partners.models import Partner

from . import chart
from .balances import account_balance
from .models import LedgerEntry
from .payout_config import settlement_alert_days, settlement_guard_days
from .payout_models import PartnerPayment, PayoutLock, SettlementAlert
from .services import ledger_post

ZURICH = ZoneInfo("Europe/Zurich")
SETTLEMENT_CURRENCY = "CHF"


def partner_payment_record(
    *,
    actor: User | None,
    partner_id: int,
    amount_minor: int,
    received_on: date,
    reference: str,
    currency: str = SETTLEMENT_CURRENCY,
) -> PartnerPayment:
    """A partner paid its statement into the settlement account: settlement +P, partner
    receivable -P. Each bank reference is recorded once per partner."""
    reference = reference.strip()
    _check_payment(currency, amount_minor, received_on, reference)
    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise NotFound(f"No partner #{partner_id}.")
    receivable = chart.partner_receivable(partner.pk, currency)
    with transaction.atomic():
        owed = account_balance(receivable.code)
        if amount_minor > owed:
            raise Conflict(
                f"{partner.name} owes {Money(max(owed, 0), currency).amount} {currency}; "
                "record no more than that.",
                code="overpayment",
            )
        try:
            with transaction.atomic():
                payment = PartnerPayment.objects.create(
                    partner=partner,
                    currency=currency,
                    amount_minor=amount_minor,
                    received_on=received_on,
                    reference=reference[:60],
                    recorded_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                f"The payment {reference!r} of {partner.name} is recorded already.",
                code="payment_recorded",
            ) from None
        ledger_post(
            event_key=f"partner-payment:{payment.pk}",
            kind="partner.paid",
            booked_at=datetime.combine(received_on, time.min, tzinfo=ZURICH),
            subject=f"partner:{partner.pk}",
            memo=f"{partner.name} paid its statement ({reference})",
            lines=[
                (chart.settlement(currency), Money(amount_minor, currency)),
                (receivable, Money(-amount_minor, currency)),
            ],
        )
    return payment


def _check_payment(currency: str, amount_minor: int, received_on: date, reference: str) -> None:
    errors: dict[str, list[str]] = {}
    if currency != SETTLEMENT_CURRENCY:
        errors["currency"] = ["Only CHF partners pay Quartier; EUR partners pay helpers."]
    if amount_minor <= 0:
        errors["amount_minor"] = ["The amount must be positive."]
    if not reference:
        errors["reference"] = ["Give the bank's reference of the payment."]
    if received_on > timezone.localdate():
        errors["received_on"] = ["The payment cannot be received in the future."]
    if errors:
        raise InvalidInput("The payment cannot be recorded.", errors=errors)


@dataclass(frozen=True, slots=True)
class AgedMoney:
    event_key: str
    received_at: datetime
    remaining_minor: int
    age_days: int


def settlement_aged(*, now: datetime | None = None) -> list[AgedMoney]:
    """The money still in the settlement account, by inflow, oldest first (FIFO)."""
    now = now or timezone.now()
    entries = LedgerEntry.objects.filter(account__code=chart.settlement(SETTLEMENT_CURRENCY).code)
    paid_out = -int(entries.filter(amount_minor__lt=0).aggregate(t=Sum("amount_minor"))["t"] or 0)
    aged = []
    inflows = entries.filter(amount_minor__gt=0).order_by("transaction__booked_at", "id")
    for entry in inflows.values("amount_minor", "transaction__event_key", "transaction__booked_at"):
        taken = min(paid_out, entry["amount_minor"])
        paid_out -= taken
        remaining = entry["amount_minor"] - taken
        if remaining:
            received = entry["transaction__booked_at"]
            aged.append(
                AgedMoney(
                    entry["transaction__event_key"], received, remaining, (now - received).days
                )
            )
    return aged


def settlement_overdue(*, days: int | None = None, now: datetime | None = None) -> list[AgedMoney]:
    """Money older than `days` (default: the last alert age, 60)."""
    limit = days if days is not None else settlement_alert_days()[-1]
    return [money for money in settlement_aged(now=now) if money.age_days > limit]


def settlement_guard(*, now: datetime | None = None) -> int:
    """Move what has sat `settlement_guard_days()` in the settlement account to Quartier's own
    account (the oldest money first, as FIFO ages it); returns the minor units moved. Runs
    behind the CHF payout lock, so a payout run and the guard never take the same franc."""
    now = now or timezone.now()
    with transaction.atomic():
        PayoutLock.objects.get_or_create(currency=SETTLEMENT_CURRENCY)
        PayoutLock.objects.select_for_update().filter(currency=SETTLEMENT_CURRENCY).first()
        aged = [m for m in settlement_aged(now=now) if m.age_days >= settlement_guard_days()]
        total = sum(money.remaining_minor for money in aged)
        if not total:
            return 0
        ledger_post(
            event_key=f"settlement-guard:{now.timestamp():.6f}",
            kind="settlement.cleared",
            booked_at=now,
            subject=f"settlement:{SETTLEMENT_CURRENCY}",
            memo=(
                f"{Money(total, SETTLEMENT_CURRENCY).amount} {SETTLEMENT_CURRENCY} moved to "
                f"Quartier's own account after {settlement_guard_days()} days in settlement"
            ),
            lines=[
                (chart.settlement(SETTLEMENT_CURRENCY), Money(-total, SETTLEMENT_CURRENCY)),
                (chart.bank(SETTLEMENT_CURRENCY), Money(total, SETTLEMENT_CURRENCY)),
            ],
        )
        for money in aged:  # mailed after commit
            _alert_operators(money, settlement_guard_days(), cleared=True)
    return total


def settlement_tick(*, now: datetime | None = None) -> str:
    """Tell operators, once per inflow and age, about money aging in the settlement account;
    then the hard guard moves what is too old out of it."""
    told = []
    for money in settlement_aged(now=now):
        for days in settlement_alert_days():
            if money.age_days < days:
                continue
            with transaction.atomic():
                _, new = SettlementAlert.objects.get_or_create(event_key=money.event_key, days=days)
                if new:
                    _alert_operators(money, days)
                    told.append(f"{money.event_key}@{days}d")
    cleared = settlement_guard(now=now)
    parts = [f"settlement alerts: {', '.join(told)}"] if told else []
    if cleared:
        parts.append(f"settlement guard moved {Money(cleared, SETTLEMENT_CURRENCY).amount} CHF")
    return "; ".join(parts)


def _alert_operators(money: AgedMoney, days: int, *, cleared: bool = False) -> None:
    limit = settlement_alert_days()[-1]
    for operator in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
        notify_address(
            email=operator.email,
            language=operator.preferred_language or "de",
            kind=AddressKind.SETTLEMENT_AGING,
            context={
                "amount": Money(money.remaining_minor, SETTLEMENT_CURRENCY).amount,
                "currency": SETTLEMENT_CURRENCY,
                "received_at": timezone.localtime(money.received_at, ZURICH),
                "days": money.age_days,
                "threshold": days,
                "limit": limit,
                "hard": days >= limit,
                "cleared": cleared,
            },
        )
