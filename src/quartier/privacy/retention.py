"""The daily retention job: what the law kept after an erasure goes when its period ends.

Invoices of erased members (restricted at the erasure) are deleted; payout files' names and
IBANs are blanked. Ledger entries stay: they name account numbers, and after the erasure
no account number leads back to a person.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from quartier.invoicing.issuer import quartier_issuer
from quartier.invoicing.retention import invoices_delete_expired, retention_years
from quartier.payments.retention import bank_files_blank


def retention_run(*, today: date | None = None) -> str:
    today = today or timezone.localdate()
    invoices = invoices_delete_expired(today=today)
    years = retention_years(str(quartier_issuer()["country"]).upper())
    files = bank_files_blank(created_before=date(today.year - years, 1, 1))
    if not (invoices or files):
        return ""
    return f"retention: {invoices} invoices deleted, {files} bank files blanked"
