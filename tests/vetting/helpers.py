"""Vetting in tests: documents, requirements and checks as an operator would leave them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quartier.accounts.models import User
from quartier.catalog.models import Skill
from quartier.vetting.models import CheckKind, VettingCheck
from quartier.vetting.services import check_approve, check_submit, requirement_set
from tests.factories import make_customer

PDF = b"%PDF-1.4\n% a scanned document\n"


def pdf(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def make_operator(**fields: Any) -> User:
    values = {"email": "ops@example.com", "is_staff": True, "is_superuser": True} | fields
    return make_customer(**values)


def require(operator: User, slug: str, *kinds: str) -> Skill:
    skill = Skill.objects.get(slug=slug)
    for kind in kinds:
        requirement_set(actor=operator, skill=skill, kind=kind, required=True, reason="children")
    return skill


def hand_in(helper: User, kind: str = CheckKind.IDENTITY, **fields: Any) -> VettingCheck:
    values: dict[str, Any] = {"expires_on": in_days(700)}
    if kind in (CheckKind.CRIMINAL_RECORD, CheckKind.REGISTER):
        values["issued_on"] = in_days(-10)
    return check_submit(actor=helper, kind=kind, files=[pdf()], **(values | fields))


def vet(helper: User, operator: User, *kinds: str, **fields: Any) -> list[VettingCheck]:
    """Hand in and approve a check of each kind."""
    return [
        check_approve(actor=operator, check_id=hand_in(helper, kind, **fields).pk) for kind in kinds
    ]
