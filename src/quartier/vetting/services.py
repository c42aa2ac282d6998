"""Vetting's writes: a helper hands in a document, answers a rejection; an operator approves
or rejects it (recorded in the operator audit) and maintains which skills need which checks.

Every change that can make a helper matchable or not for a skill announces `helper_changed`,
so the match index and the directory listing follow at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartier.accounts.models import User
from quartier.audit.services import record_operator_action
from quartier.catalog.models import HelperSkill, Skill
from quartier.errors import Conflict, Forbidden, NotFound, field_error
from quartier.events import helper_changed
from quartier.uploads import DOCUMENTS, files_check

from .models import CheckKind, CheckStatus, SkillRequirement, VettingCheck, VettingDocument
from .notices import tell_helper
from .selectors import get_check_for

#: Kinds a document must say how long it is valid for.
EXPIRY_REQUIRED = frozenset({CheckKind.IDENTITY, CheckKind.INSURANCE, CheckKind.CRIMINAL_RECORD})
#: Kinds a document must be dated (an extract shows the record on its day).
DATE_REQUIRED = frozenset({CheckKind.REGISTER, CheckKind.CRIMINAL_RECORD})
#: Kinds only pros (businesses) hand in.
PRO_ONLY = frozenset({CheckKind.REGISTER})
MAX_TEXT = 2000


def _dates_check(kind: str, issued_on: date | None, expires_on: date | None) -> None:
    today = timezone.localdate()
    if kind in DATE_REQUIRED and issued_on is None:
        raise field_error("issued_on", "Give the date on the document.", code="date_missing")
    if issued_on is not None and issued_on > today:
        raise field_error("issued_on", "The document's date cannot be in the future.")
    if kind in EXPIRY_REQUIRED and expires_on is None:
        raise field_error(
            "expires_on", "Give the date the document is valid until.", code="expiry_missing"
        )
    if expires_on is not None and expires_on < today:
        raise field_error("expires_on", "This document has expired already.", code="expired")


def _documents_save(check: VettingCheck, files: Sequence[UploadedFile]) -> None:
    for upload in files:
        VettingDocument.objects.create(
            vetting_check=check,
            file=upload,
            name=(upload.name or "document")[:200],
            content_type=upload.content_type or "",
            size=upload.size or 0,
        )


def check_submit(
    *,
    actor: User,
    kind: str,
    files: Sequence[UploadedFile],
    issued_on: date | None = None,
    expires_on: date | None = None,
    note: str = "",
) -> VettingCheck:
    """A helper hands in a document (1 to 3 files: PDF or photos) for an operator to check."""
    if not actor.is_helper:
        raise Forbidden("Only helpers hand in vetting documents.", code="not_a_helper")
    if kind not in CheckKind.values:
        raise field_error("kind", "Choose what kind of document this is.", code="invalid_kind")
    if kind in PRO_ONLY and not actor.is_pro:
        raise field_error("kind", "Only businesses (pros) hand in a register extract.")
    if not files:
        raise field_error("files", "Add the document (PDF or a photo).", code="file_missing")
    files_check(files, field="files", rule=DOCUMENTS)
    _dates_check(kind, issued_on, expires_on)
    try:
        with transaction.atomic():
            check = VettingCheck.objects.create(
                helper=actor,
                kind=kind,
                issued_on=issued_on,
                expires_on=expires_on,
                note=note.strip()[:MAX_TEXT],
            )
            _documents_save(check, files)
    except IntegrityError:
        raise Conflict(
            "A document of this kind is waiting for review already.", code="check_pending"
        ) from None
    return check


def check_answer(
    *, actor: User, check_id: int, answer: str, files: Sequence[UploadedFile] = ()
) -> VettingCheck:
    """The helper answers a rejection (and may add files): the check waits for review again."""
    check = get_check_for(actor, check_id)
    answer = answer.strip()
    if not answer:
        raise field_error("answer", "Write your answer for the operator.", code="answer_missing")
    if files:
        files_check(files, field="files", rule=DOCUMENTS)
    try:
        with transaction.atomic():
            updated = VettingCheck.objects.filter(pk=check.pk, status=CheckStatus.REJECTED).update(
                status=CheckStatus.PENDING,
                answer=answer[:MAX_TEXT],
                answered_at=timezone.now(),
            )
            if not updated:
                raise Conflict("Only a rejected document can be answered.", code="not_rejected")
            _documents_save(check, files)
    except IntegrityError:
        raise Conflict(
            "A document of this kind is waiting for review already.", code="check_pending"
        ) from None
    check.refresh_from_db()
    return check


def _decide(actor: User, check_id: int, status: str, reason: str) -> VettingCheck:
    if not actor.is_staff:
        raise Forbidden("Only operators decide vetting checks.", code="not_an_operator")
    with transaction.atomic():
        check = (
            VettingCheck.objects.select_for_update().select_related("helper").filter(pk=check_id)
        ).first()
        if check is None:
            raise NotFound("No such check.", code="check_not_found")
        if check.status != CheckStatus.PENDING:
            raise Conflict("This check is decided already.", code="check_decided")
        check.status, check.reason = status, reason
        check.decided_at, check.decided_by = timezone.now(), actor
        check.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        action = "vetting.approve" if status == CheckStatus.APPROVED else "vetting.reject"
        record_operator_action(actor, action, check, reason)
        helper_changed.send(sender=VettingCheck, helper_id=check.helper_id)
        tell_helper(check, str(status))
    return check


def check_approve(*, actor: User, check_id: int, reason: str = "") -> VettingCheck:
    """An operator approves a waiting check (the documents are genuine and valid)."""
    return _decide(actor, check_id, CheckStatus.APPROVED, reason.strip()[:MAX_TEXT])


def check_reject(*, actor: User, check_id: int, reason: str) -> VettingCheck:
    """An operator rejects a waiting check, with a reason the helper reads and may answer."""
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "Write the reason the helper will read.", code="reason_missing")
    return _decide(actor, check_id, CheckStatus.REJECTED, reason[:MAX_TEXT])


def requirement_set(
    *, actor: User, skill: Skill, kind: str, required: bool, reason: str = ""
) -> None:
    """An operator makes a check required for a skill, or no longer; every helper with the
    skill is matched (or not) accordingly from now on."""
    if not actor.is_staff:
        raise Forbidden("Only operators maintain vetting requirements.", code="not_an_operator")
    if kind not in CheckKind.values:
        raise field_error("kind", "Unknown kind of check.", code="invalid_kind")
    with transaction.atomic():
        if required:
            _, changed = SkillRequirement.objects.get_or_create(skill=skill, kind=kind)
        else:
            changed = bool(SkillRequirement.objects.filter(skill=skill, kind=kind).delete()[0])
        if not changed:
            return
        action = "vetting.requirement_add" if required else "vetting.requirement_remove"
        label = f"{skill} needs {CheckKind(kind).label}"
        record_operator_action(actor, action, ("catalog.skill", skill.pk, label), reason)
        helpers = HelperSkill.objects.filter(skill=skill).values_list("helper_id", flat=True)
        for helper_id in helpers.iterator():
            helper_changed.send(sender=SkillRequirement, helper_id=helper_id)
