"""The vetting tick: remind helpers before an approved document expires, end the checks whose
document expired (the helper is no longer matched for skills that need it), and delete the
files of decided checks once the retention period is over (the decision record stays).

Safe to run late, twice or in several workers at once: each step re-reads what is due and
changes each row with a compare-and-set.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from quartier.events import helper_changed

from .models import CheckStatus, VettingCheck, VettingDocument
from .notices import tell_helper

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class TickReport:
    reminded: int = 0
    expired: int = 0
    purged: int = 0

    def __bool__(self) -> bool:
        return bool(self.reminded or self.expired or self.purged)


def vetting_tick(*, now: datetime | None = None) -> TickReport:
    now = now or timezone.now()
    return TickReport(
        reminded=checks_remind(now=now),
        expired=checks_expire(now=now),
        purged=documents_purge(now=now),
    )


def checks_remind(*, now: datetime) -> int:
    """Tell each helper once, `QUARTIER_VETTING_REMIND_DAYS` ahead, that a document expires."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=settings.QUARTIER_VETTING_REMIND_DAYS)
    due = VettingCheck.objects.filter(
        status=CheckStatus.APPROVED,
        reminded_at__isnull=True,
        expires_on__isnull=False,
        expires_on__gte=today,
        expires_on__lte=horizon,
    ).select_related("helper")
    count = 0
    for check in due[:BATCH]:
        with transaction.atomic():
            if VettingCheck.objects.filter(pk=check.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                tell_helper(check, "reminder")
                count += 1
    return count


def checks_expire(*, now: datetime) -> int:
    """Approved checks past their expiry date end: the helper is matched for skills that
    need them no more (the selectors already ignore them; the match index follows here)."""
    today = timezone.localdate(now)
    due = VettingCheck.objects.filter(
        status=CheckStatus.APPROVED, expires_on__lt=today
    ).select_related("helper")
    count = 0
    for check in due[:BATCH]:
        with transaction.atomic():
            if VettingCheck.objects.filter(pk=check.pk, status=CheckStatus.APPROVED).update(
                status=CheckStatus.EXPIRED, expired_at=now
            ):
                helper_changed.send(sender=VettingCheck, helper_id=check.helper_id)
                tell_helper(check, "expired")
                count += 1
    return count


def documents_purge(*, now: datetime) -> int:
    """Delete the files of checks decided more than `QUARTIER_VETTING_RETENTION_DAYS` ago
    (a check waiting for review keeps its files); returns how many checks were purged."""
    cutoff = now - timedelta(days=settings.QUARTIER_VETTING_RETENTION_DAYS)
    due = VettingCheck.objects.filter(
        documents_deleted_at__isnull=True,
        decided_at__lt=cutoff,
        status__in=[CheckStatus.APPROVED, CheckStatus.REJECTED, CheckStatus.EXPIRED],
    ).values_list("pk", flat=True)
    count = 0
    for check_id in list(due[:BATCH]):
        with transaction.atomic():
            if not VettingCheck.objects.filter(
                pk=check_id, documents_deleted_at__isnull=True
            ).update(documents_deleted_at=now):
                continue
            documents = list(VettingDocument.objects.filter(vetting_check_id=check_id))
            names = [d.file.name for d in documents]
            VettingDocument.objects.filter(vetting_check_id=check_id).delete()
            transaction.on_commit(functools.partial(_delete_files, names))
            count += 1
    return count


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # gone already; the next purge will not look again
            log.warning("vetting document %s could not be deleted", name)
