"""The ledger's money flows for a job: settling it, and refunding part of it after a dispute.

Each books one balanced transaction (see the event -> entries table in the package
docstring) under the event's key, with the subject `booking:<id>`, so everything about a
job is found by its subject. The customer's own share (transfer, cash) never passes through
Quartier and has no entries; its method is kept in the memo (`Booking #42, cash: ...`,
read back by `statements.memo_method`) so statements can tell the methods apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum

from quartier.money import Money

from . import chart
from .balances import account_balance
from .commission import job_charge
from .facts import SettledJob
from .models import AccountKind, LedgerEntry, LedgerTransaction
from .services import Line, ledger_post

SETTLED = "job.settled"
REFUNDED = "job.refunded"


def booking_subject(booking_id: int) -> str:
    return f"booking:{booking_id}"


def job_settled_book(*, event_key: str, job: SettledJob) -> LedgerTransaction:
    """The helper owes commission + VAT on the price (never on the tip); the gross and the
    tip go to their memo accounts; a partner's share is owed by the partner to Quartier and
    by Quartier to the helper (netted against the commission in the payout run)."""
    facts, price, currency = job.facts, job.price, job.price.currency
    charge = job_charge(
        price,
        market=facts.market,
        skill=facts.skill,
        category=facts.category,
        helper_country=facts.helper_country,
    )
    helper = facts.helper_id
    lines: list[Line] = [
        (chart.helper_receivable(helper, currency), charge.total),
        (chart.commission_revenue(currency), -charge.commission),
        (chart.vat_payable(facts.helper_country, currency), -charge.vat),
        (chart.jobs_gross_offset(currency), price),
        (chart.helper_jobs_gross(helper, currency), -price),
        (chart.tips_offset(currency), job.tip),
        (chart.helper_tips(helper, currency), -job.tip),
    ]
    memo = (
        f"Booking #{facts.booking_id}, {job.method}: {price.amount} {currency}, "
        f"commission {charge.rate} ({facts.market}/{facts.skill or '-'}), "
        f"VAT {charge.vat_rate}%"
    )
    if job.tip.minor:
        memo += f", tip {job.tip.amount}"
    if job.partner_id is not None and job.partner_share.minor:
        lines += [
            (chart.partner_receivable(job.partner_id, currency), job.partner_share),
            (chart.helper_payable(helper, currency), -job.partner_share),
        ]
        memo += f", partner #{job.partner_id} pays {job.partner_share.amount}"
    return ledger_post(
        event_key=event_key,
        kind=SETTLED,
        booked_at=job.settled_at,
        memo=memo,
        subject=booking_subject(facts.booking_id),
        lines=lines,
    )


@dataclass(frozen=True, slots=True)
class Booked:
    """A settled job as its transaction booked it (what a refund takes its parts from)."""

    helper_id: int
    currency: str
    price: int
    commission: int
    vat: int
    vat_country: str
    partner_id: int | None
    partner_share: int
    refunded: int  # by earlier refunds


def _booked(booking_id: int) -> Booked | None:
    subject = booking_subject(booking_id)
    settled = (
        LedgerTransaction.objects.filter(subject=subject, kind=SETTLED, reversal__isnull=True)
        .order_by("-id")
        .first()
    )
    if settled is None:
        return None
    parts: dict[str, int] = {}
    helper_id, partner_id, vat_country, currency = 0, None, "", ""
    for entry in settled.entries.select_related("account"):
        account, currency = entry.account, entry.currency
        parts[f"{account.owner_kind}:{account.kind}"] = entry.amount_minor
        if account.kind == AccountKind.JOBS_GROSS:
            helper_id = account.owner_id
        elif account.kind == AccountKind.VAT:
            vat_country = account.code.split(":")[2]
        elif account.owner_kind == "partner":
            partner_id = account.owner_id
    refunded = LedgerEntry.objects.filter(
        transaction__subject=subject,
        transaction__kind=REFUNDED,
        transaction__reversal__isnull=True,
        account__kind=AccountKind.JOBS_GROSS,
    ).aggregate(total=Sum("amount_minor", default=0))["total"]
    return Booked(
        helper_id=helper_id,
        currency=currency,
        price=-parts.get("helper:jobs_gross", 0),
        commission=-parts.get("quartier:commission", 0),
        vat=-parts.get("quartier:vat", 0),
        vat_country=vat_country or "CH",
        partner_id=partner_id,
        partner_share=parts.get("partner:receivable", 0),
        refunded=refunded,
    )


def part_left(part: int, price: int, remaining: int) -> int:
    """What stays of `part` when `remaining` of `price` is left, rounded half up. Each refund
    takes the difference between two of these, so all refunds of a job sum to exactly the
    part that a full refund would take, and the parts of one refund to the refund itself."""
    return (2 * part * remaining + price) // (2 * price)


def _helper_sides(helper: int, currency: str, share: int, returned: int) -> tuple[int, int]:
    """How a refund changes the helper's payable and receivable: the partner's share `share`
    is no longer owed to the helper (payable +), the commission and VAT `returned` no longer
    owed by them (receivable -). What a payout already settled moves to the other side, so
    the payable never turns into a debt nor the receivable into a credit: a share paid out
    already is owed back (receivable, set off like commission), commission already set off
    is owed to the helper (payable, paid at the next payout)."""
    payable = account_balance(chart.helper_payable(helper, currency).code)
    receivable = account_balance(chart.helper_receivable(helper, currency).code)
    to_payable, to_receivable = share, -returned
    over = payable + to_payable
    if over > 0:
        to_payable, to_receivable = to_payable - over, to_receivable + over
    short = receivable + to_receivable
    if short < 0:
        to_payable, to_receivable = to_payable + short, to_receivable - short
    return to_payable, to_receivable


def job_refund_book(
    *, event_key: str, booking_id: int, refund_minor: int, booked_at: datetime
) -> LedgerTransaction | None:
    """A refund after a dispute: the job's price falls by `refund_minor` (capped at what is
    left of it), and its commission, VAT and partner share fall in proportion. Nothing is
    booked for a job the ledger has not settled, or has refunded in full already."""
    job = _booked(booking_id)
    if job is None or job.price <= 0:
        return None
    before = job.price - job.refunded
    refund = min(refund_minor, before)
    if refund <= 0:
        return None
    after = before - refund

    def cut(part: int) -> int:
        return part_left(part, job.price, before) - part_left(part, job.price, after)

    commission, vat, share = cut(job.commission), cut(job.vat), cut(job.partner_share)
    currency, helper = job.currency, job.helper_id
    payable, receivable = _helper_sides(helper, currency, share, commission + vat)
    lines: list[Line] = [
        (chart.helper_receivable(helper, currency), Money(receivable, currency)),
        (chart.helper_payable(helper, currency), Money(payable, currency)),
        (chart.commission_revenue(currency), Money(commission, currency)),
        (chart.vat_payable(job.vat_country, currency), Money(vat, currency)),
        (chart.jobs_gross_offset(currency), Money(-refund, currency)),
        (chart.helper_jobs_gross(helper, currency), Money(refund, currency)),
    ]
    if job.partner_id is not None:
        lines += [
            (chart.partner_receivable(job.partner_id, currency), Money(-share, currency)),
        ]
    capped = f" ({refund_minor} asked, capped at what was left)" if refund < refund_minor else ""
    return ledger_post(
        event_key=event_key,
        kind=REFUNDED,
        booked_at=booked_at,
        memo=(
            f"Booking #{booking_id}: refund {Money(refund, currency).amount} {currency}{capped}"
            f", partner share -{Money(share, currency).amount}"
        ),
        subject=booking_subject(booking_id),
        lines=lines,
    )
