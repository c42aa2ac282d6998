"""EUR partners pay helpers directly: a pain.001 file per partner and month, then booked.

The file pays each helper the partner's shares of that month's bookings still owed and not
in an earlier file (a booking is in one file at most: a unique key). When the partner says
it ran the file, the shares are booked as paid directly, in one transaction with subject
`payout:direct-<file>` (a payout, made by the partner): partner receivable -, helper payable
+ (what the helper owes Quartier in commission then shows as their debt). The bookings a
paid file covers are its items (`balances.paid_direct_subjects`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from quartier.accounts.models import User
from quartier.errors import Conflict, NotFound
from quartier.money import Money
from quartier.partners.models import Partner

from . import chart
from .models import LedgerEntry, PayoutProfile
from .pain001 import Party, Transfer, credit_transfer_file
from .partner_statements import _helpers_of, month_bounds
from .payout_models import DirectPaymentFile, DirectPaymentItem, PartnerAccount
from .payouts import creditor_of
from .profiles import gaps_of
from .services import ledger_post

CURRENCY = "EUR"


@dataclass(slots=True)
class DirectFileResult:
    file: DirectPaymentFile | None
    skipped_helpers: list[int] = field(default_factory=list)


def _open_shares(partner: Partner, month: date) -> dict[str, int]:
    """{booking subject: share still owed} of the month's EUR bookings not in any file."""
    start, end = month_bounds(month)
    subjects_in_month = LedgerEntry.objects.filter(
        account__code=chart.partner_receivable(partner.pk, CURRENCY).code,
        transaction__subject__startswith="booking:",
        transaction__booked_at__gte=start,
        transaction__booked_at__lt=end,
        amount_minor__gt=0,
    ).values("transaction__subject")
    rows = (
        LedgerEntry.objects.filter(
            account__code=chart.partner_receivable(partner.pk, CURRENCY).code,
            transaction__subject__in=subjects_in_month,
        )
        .order_by()
        .values("transaction__subject")
        .annotate(total=Sum("amount_minor"))
        .filter(total__gt=0)
    )
    filed = {f"booking:{b}" for b in DirectPaymentItem.objects.values_list("booking_id", flat=True)}
    return {
        r["transaction__subject"]: int(r["total"])
        for r in rows
        if r["transaction__subject"] not in filed
    }


Shares = dict[int, list[tuple[int, int]]]  # helper: [(booking, amount)]


def _payable_shares(
    partner: Partner, month: date
) -> tuple[Shares, dict[int, PayoutProfile], list[int]]:
    """The month's open shares by helper, their profiles, and helpers left out (incomplete
    payout profile: their shares wait for a later file)."""
    shares = _open_shares(partner, month)
    helpers = _helpers_of(list(shares), CURRENCY)
    profiles = {p.user_id: p for p in PayoutProfile.objects.filter(user_id__in=helpers.values())}
    per_helper: Shares = defaultdict(list)
    skipped: list[int] = []
    for subject, amount in sorted(shares.items()):
        helper = helpers.get(subject)
        profile = profiles.get(helper) if helper else None
        if helper is None or profile is None or gaps_of(profile):
            if helper is not None and helper not in skipped:
                skipped.append(helper)
            continue
        per_helper[helper].append((int(subject.split(":")[1]), amount))
    return per_helper, profiles, skipped


def direct_payment_file_create(
    *, actor: User | None, partner: Partner, month: date, now: datetime | None = None
) -> DirectFileResult:
    """The partner's file for `month`'s open EUR shares (None when nothing is open)."""
    account = PartnerAccount.objects.filter(partner=partner).first()
    if account is None:
        raise Conflict(
            "Give the account you pay helpers from first.", code="partner_account_missing"
        )
    now = now or timezone.now()
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()  # one file at a time
        per_helper, profiles, skipped = _payable_shares(partner, month)
        result = DirectFileResult(None, skipped)
        if not per_helper:
            return result
        total = sum(a for items in per_helper.values() for _, a in items)
        file = DirectPaymentFile.objects.create(
            partner=partner,
            month=month.replace(day=1),
            currency=CURRENCY,
            document="",
            total_minor=total,
        )
        DirectPaymentItem.objects.bulk_create(
            DirectPaymentItem(file=file, booking_id=booking, helper_id=helper, amount_minor=a)
            for helper, items in per_helper.items()
            for booking, a in items
        )
        debtor = Party(
            account.account_holder,
            account.iban,
            account.street,
            account.house_number,
            account.postcode,
            account.town,
            account.country or "DE",
        )
        transfers = [
            Transfer(
                creditor=creditor_of(profiles[helper]),
                amount_minor=sum(a for _, a in items),
                end_to_end_id=f"Q-D{file.pk}-H{helper}",
                remittance=f"{partner.name} via Quartier {month:%Y-%m}: "
                + ", ".join(f"#{b}" for b, _ in items),
            )
            for helper, items in sorted(per_helper.items())
        ]
        file.document = credit_transfer_file(
            debtor=debtor,
            currency=CURRENCY,
            transfers=transfers,
            execution_date=timezone.localdate(now),
        ).decode()
        file.save(update_fields=["document"])
        result.file = file
    return result


def direct_payment_file_paid(
    *, actor: User | None, partner: Partner, file_id: int, now: datetime | None = None
) -> DirectPaymentFile:
    """The partner ran the file: book each booking's share as paid to the helper directly."""
    now = now or timezone.now()
    with transaction.atomic():
        file = (
            DirectPaymentFile.objects.select_for_update()
            .filter(pk=file_id, partner=partner)
            .first()
        )
        if file is None:
            raise NotFound("No such payment file.")
        if file.paid_at is not None:
            raise Conflict("This file is marked as paid already.", code="file_paid")
        per_helper: dict[int, int] = defaultdict(int)
        for item in file.items.all():
            per_helper[item.helper_id] += item.amount_minor
        currency = file.currency
        ledger_post(
            event_key=f"direct-payment:{file.pk}",
            kind="partner.paid_direct",
            booked_at=now,
            # A payout to the helpers (their statements count it as paid out), made by the
            # partner; the bookings it covers are the file's items.
            subject=f"payout:direct-{file.pk}",
            memo=f"{partner.name} paid {len(per_helper)} helper(s) directly (file #{file.pk})",
            lines=[
                (
                    chart.partner_receivable(partner.pk, currency),
                    Money(-file.total_minor, currency),
                ),
                *(
                    (chart.helper_payable(helper, currency), Money(amount, currency))
                    for helper, amount in sorted(per_helper.items())
                ),
            ],
        )
        file.paid_at, file.paid_by = now, actor
        file.save(update_fields=["paid_at", "paid_by"])
    return file
