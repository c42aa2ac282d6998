"""Bank files the law kept: their personal parts go when the retention period ends.

A payout run or a partner's direct-payment file is a voucher of Quartier's books: the XML
(names, addresses, IBANs of every payee) and each payout's IBAN and holder are kept for the
legal period, also after a payee's erasure, then blanked. The rows stay — amounts and
pseudonymous ids — because the ledger and the "already paid" checks rest on them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .payout_models import DirectPaymentFile, PayoutItem, PayoutRun

BLANKED = ""


def bank_files_blank(*, created_before: date) -> int:
    """Blank the personal parts of the files created before the day; returns how many."""
    with transaction.atomic():
        runs = PayoutRun.objects.filter(created_at__date__lt=created_before).exclude(
            document=BLANKED
        )
        run_ids = list(runs.values_list("pk", flat=True))
        PayoutItem.objects.filter(run_id__in=run_ids).update(iban=BLANKED, account_holder=BLANKED)
        PayoutRun.objects.filter(pk__in=run_ids).update(document=BLANKED)
        direct = DirectPaymentFile.objects.filter(created_at__date__lt=created_before).exclude(
            document=BLANKED
        )
        return len(run_ids) + direct.update(document=BLANKED)
