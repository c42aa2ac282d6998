"""Vetting API for helpers: hand in a document (multipart), list one's checks and their
status, answer a rejection. Files are never served back: operators open them in the back
office; the helper sees the status, the dates and the operator's reason."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from quartier.accounts.auth import api_auth, current_user
from quartier.errors import Forbidden

from .models import CheckKind, VettingCheck
from .selectors import check_list_for
from .services import check_answer, check_submit

router = Router(tags=["vetting"], auth=api_auth)


class CheckIn(Schema):
    kind: CheckKind = Field(
        description="identity; register (pros); insurance; criminal_record (CH "
        "Strafregisterauszug, DE erweitertes Führungszeugnis)."
    )
    issued_on: date | None = Field(
        default=None, description="The date on the document (register and criminal record)."
    )
    expires_on: date | None = Field(
        default=None,
        description="Valid until (required for identity, insurance and criminal record).",
    )
    note: str = Field(default="", max_length=2000)


class AnswerIn(Schema):
    answer: str = Field(max_length=2000, description="Your answer to the operator's reason.")


class CheckOut(Schema):
    id: int
    kind: str
    status: str = Field(description="pending, approved, rejected or expired.")
    issued_on: date | None
    expires_on: date | None
    submitted_at: datetime
    decided_at: datetime | None
    reason: str = Field(description="The operator's reason (a rejection's, to answer).")
    answer: str
    documents: int = Field(description="How many files are kept (none once deleted).")


def check_out(check: VettingCheck) -> CheckOut:
    return CheckOut(
        id=check.pk,
        kind=check.kind,
        status=check.status,
        issued_on=check.issued_on,
        expires_on=check.expires_on,
        submitted_at=check.submitted_at,
        decided_at=check.decided_at,
        reason=check.reason,
        answer=check.answer,
        documents=check.documents.count(),
    )


@router.get("/vetting/checks", response=list[CheckOut])
def list_checks(request: HttpRequest) -> list[CheckOut]:
    """Your checks, newest first, with their status (the files are not served back)."""
    actor = current_user(request)
    if not actor.is_helper:
        raise Forbidden("Only helpers have vetting checks.", code="not_a_helper")
    return [check_out(c) for c in check_list_for(actor)]


@router.post("/vetting/checks", response={201: CheckOut})
def submit_check(
    request: HttpRequest,
    payload: Form[CheckIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[CheckOut]:
    """Hand in a document (multipart/form-data: the fields, and 1-3 `files`: PDF or photos,
    10 MB each) for an operator to check."""
    check = check_submit(
        actor=current_user(request),
        kind=payload.kind,
        files=files or [],
        issued_on=payload.issued_on,
        expires_on=payload.expires_on,
        note=payload.note,
    )
    return Status(201, check_out(check))


@router.post("/vetting/checks/{check_id}/answer", response=CheckOut)
def answer_check(
    request: HttpRequest,
    check_id: int,
    payload: Form[AnswerIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> CheckOut:
    """Answer a rejection (and add files if you like): the check waits for review again."""
    check = check_answer(
        actor=current_user(request), check_id=check_id, answer=payload.answer, files=files or []
    )
    return check_out(check)
