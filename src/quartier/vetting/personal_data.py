"""A helper's vetting checks: exported (status, dates, reasons; the files are not: they are
deleted after the decision anyway), and deleted with their files when the account is."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from .models import VettingCheck, VettingDocument


def export(user_id: int) -> dict[str, Any]:
    rows = VettingCheck.objects.filter(helper_id=user_id).order_by("id")
    return {
        "vetting_checks": [
            {
                "kind": r.kind,
                "status": r.status,
                "issued_on": r.issued_on.isoformat() if r.issued_on else None,
                "expires_on": r.expires_on.isoformat() if r.expires_on else None,
                "submitted_at": r.submitted_at.isoformat(),
                "reason": r.reason,
                "answer": r.answer,
                "documents_kept": r.documents.count(),
            }
            for r in rows
        ]
    }


def erase(user_id: int) -> None:
    documents = VettingDocument.objects.filter(vetting_check__helper_id=user_id)
    names = [d.file.name for d in documents]
    VettingCheck.objects.filter(helper_id=user_id).delete()  # documents cascade
    transaction.on_commit(lambda: _delete(names))


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
