"""The DAC7 duties towards each seller, run by the worker's `dac7` tick.

For a seller resident in an EU member state: the general notice once (§ 22 PStTG: their
data is collected and reported to the Federal Central Tax Office), then, while § 14 data is
missing, a first reminder, a second one `QUARTIER_DAC7_REMINDER_DAYS` (default 14) later,
and when that one too is unanswered for as long, the hold (§ 23): not matched, no new
bookings, until the data is complete — completing it lifts the hold at once. Payouts of what
was earned go on (the hold is not a payout gap). Swiss residents are never reportable:
nothing is sent to them and a hold left from an earlier residence is lifted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quartier.accounts.models import HelperProfile, User
from quartier.accounts.services import helper_tax_hold_set
from quartier.notifications.kinds import Kind
from quartier.notifications.links import Link, Page
from quartier.notifications.services import notify

from .dac7_data import dac7_gaps, seller_data
from .labels import gap_words
from .models import Dac7Standing

CHECK_EVERY = timedelta(hours=20)


def reminder_interval() -> timedelta:
    return timedelta(days=int(getattr(settings, "QUARTIER_DAC7_REMINDER_DAYS", 14)))


def _tell(user: User, topic: str, gaps: list[str]) -> None:
    notify(
        user=user,
        kind=Kind.TAX,
        context={"topic": topic, "gaps": gap_words(gaps)},
        link=Link(Page.TAX_DATA),
    )


def dac7_check(*, user: User, remind: bool = True, now: datetime | None = None) -> list[str]:
    """Bring the seller's DAC7 standing up to date; returns what is missing (empty for a
    complete or a non-reportable seller). `remind=False` only records and lifts."""
    now = now or timezone.now()
    data = seller_data(user)
    if not data.reportable:
        helper_tax_hold_set(helper_id=user.pk, hold=False)
        Dac7Standing.objects.update_or_create(
            user=user, defaults={"missing": [], "checked_at": now}
        )
        return []
    gaps = dac7_gaps(data)
    with transaction.atomic():
        standing, _ = Dac7Standing.objects.select_for_update().get_or_create(user=user)
        standing.missing, standing.checked_at = gaps, now
        if remind and standing.notice_sent_at is None:
            standing.notice_sent_at = now
            _tell(user, "notice", gaps)
        if not gaps:
            standing.complete_since = standing.complete_since or now
            standing.reminders_sent, standing.last_reminder_at = 0, None
            helper_tax_hold_set(helper_id=user.pk, hold=False)
        else:
            standing.complete_since = None
            if remind:
                _remind_or_hold(user, standing, gaps, now)
        standing.save()
    return gaps


def _remind_or_hold(user: User, standing: Dac7Standing, gaps: list[str], now: datetime) -> None:
    due = standing.last_reminder_at is None or now - standing.last_reminder_at >= (
        reminder_interval()
    )
    if not due:
        return
    if standing.reminders_sent < 2:
        standing.reminders_sent += 1
        standing.last_reminder_at = now
        _tell(user, f"reminder_{standing.reminders_sent}", gaps)
    elif helper_tax_hold_set(helper_id=user.pk, hold=True):
        _tell(user, "hold", gaps)


def sellers_due(now: datetime) -> list[User]:
    """Helpers and pros not checked for a while (or ever), and every held one."""
    profiles = HelperProfile.objects.filter(
        Q(user__dac7_standing__isnull=True)
        | Q(user__dac7_standing__checked_at__lt=now - CHECK_EVERY)
        | Q(tax_data_hold_since__isnull=False)  # a completed payout profile lifts it soon
    ).filter(Q(user__is_helper=True) | Q(user__is_pro=True), user__is_active=True)
    ids = profiles.order_by("user_id").values_list("user_id", flat=True)[:500]
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def dac7_tick(now: datetime | None = None) -> str:
    """Notice, reminders and holds for every seller due a check; returns a short report."""
    now = now or timezone.now()
    checked = missing = 0
    for user in sellers_due(now):
        checked += 1
        missing += bool(dac7_check(user=user, now=now))
    return f"dac7: {checked} checked, {missing} with data missing" if checked else ""
