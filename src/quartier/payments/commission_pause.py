"""Open commission over a limit pauses a helper's new bookings — never their payouts.

What counts: the helper's debt to Quartier (receivable + payable, as statements show
"open") less what this month's settled jobs added (not invoiced yet), per currency. Over
`QUARTIER_COMMISSION_PAUSE_MINOR[currency]` (unset: no pause) the helper gets a
`CommissionPause` row: matching leaves them out and offers cannot be booked
(`accounts.holds`); the start page says why and links the commission invoice with its
QR-bill. Paid (bank import, payout netting) back under the limit, the row goes.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from quartier.accounts.models import HelperProfile
from quartier.events import helper_changed

from .flows import REFUNDED, SETTLED
from .models import AccountKind, LedgerEntry, OwnerKind
from .payout_models import CommissionPause
from .statements import STATEMENT_TIMEZONE

MESSAGE = (
    "You owe Quartier more commission than the limit: pay the open commission invoice "
    "(QR-bill on its PDF) to take new bookings again. Your payouts go on as usual."
)


def pause_limits() -> dict[str, int]:
    return {k: int(v) for k, v in getattr(settings, "QUARTIER_COMMISSION_PAUSE_MINOR", {}).items()}


def commission_overdue(helper_id: int, *, now: datetime | None = None) -> dict[str, int]:
    """Per currency: the helper's debt less this month's (uninvoiced) commission."""
    now = now or timezone.now()
    month_start = timezone.localtime(now, STATEMENT_TIMEZONE).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    own = LedgerEntry.objects.filter(
        account__owner_kind=OwnerKind.HELPER,
        account__owner_id=helper_id,
        account__kind__in=[AccountKind.RECEIVABLE, AccountKind.PAYABLE],
    )
    uninvoiced = Q(
        transaction__booked_at__gte=month_start,
        transaction__kind__in=[SETTLED, REFUNDED],
        account__kind=AccountKind.RECEIVABLE,
    )
    rows = (
        own.order_by()
        .values("currency")
        .annotate(
            debt=Sum("amount_minor"), recent=Sum("amount_minor", filter=uninvoiced, default=0)
        )
    )
    return {row["currency"]: int(row["debt"]) - int(row["recent"]) for row in rows}


def commission_pause_refresh(*, helper_id: int) -> bool:
    """Pause or release the helper by what they owe now; returns whether they are paused."""
    limits = pause_limits()
    over = {
        currency: owed
        for currency, owed in commission_overdue(helper_id).items()
        if currency in limits and owed > limits[currency]
    }
    with transaction.atomic():
        if over:
            currency, owed = max(over.items(), key=lambda item: item[1])
            _, created = CommissionPause.objects.update_or_create(
                helper_id=helper_id, defaults={"currency": currency, "owed_minor": owed}
            )
            changed = created
        else:
            changed = CommissionPause.objects.filter(helper_id=helper_id).delete()[0] > 0
        if changed:
            transaction.on_commit(
                lambda: helper_changed.send(sender=HelperProfile, helper_id=helper_id)
            )
    return bool(over)


def commission_pause_tick() -> str:
    """Hourly: every helper with a receivable (and every paused one) re-checked."""
    if not pause_limits() and not CommissionPause.objects.exists():
        return ""
    helpers = set(
        LedgerEntry.objects.filter(
            account__owner_kind=OwnerKind.HELPER, account__kind=AccountKind.RECEIVABLE
        )
        .values_list("account__owner_id", flat=True)
        .distinct()
    ) | set(CommissionPause.objects.values_list("helper_id", flat=True))
    paused = sum(commission_pause_refresh(helper_id=h) for h in sorted(helpers))
    return f"{paused} helpers paused for open commission" if paused else ""
