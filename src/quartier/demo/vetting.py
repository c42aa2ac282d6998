"""Vetting in the demo: babysitting needs an identity document and a criminal-record extract;
most demo babysitters have both approved, about half of all helpers show the "verified"
badge, and one identity card waits in the operators' queue (a small PDF they can open)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quartier.accounts.models import User
from quartier.catalog.models import HelperSkill, Skill
from quartier.events import helper_changed
from quartier.vetting.models import CheckKind, CheckStatus, VettingCheck
from quartier.vetting.services import check_submit, requirement_set

#: Skills of work with children or in care, and the checks they need.
CARE_SKILLS = {"babysitting": (CheckKind.IDENTITY, CheckKind.CRIMINAL_RECORD)}
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% demo identity card\n%%EOF\n"


def vetting_requirements_seed(operator: User) -> None:
    for slug, kinds in CARE_SKILLS.items():
        skill = Skill.objects.filter(slug=slug).first()
        if skill is None:
            continue
        for kind in kinds:
            requirement_set(
                actor=operator, skill=skill, kind=kind, required=True, reason="Demo: children"
            )


def _approved(helper: User, kind: str, operator: User, rng: random.Random) -> None:
    today = timezone.localdate()
    VettingCheck.objects.create(
        helper=helper,
        kind=kind,
        status=CheckStatus.APPROVED,
        issued_on=today - timedelta(days=rng.randint(5, 60)),
        expires_on=today + timedelta(days=rng.randint(20, 700)),
        decided_at=timezone.now(),
        decided_by=operator,
        documents_deleted_at=timezone.now(),  # a demo check comes without files
    )


def vetting_seed(*, operator: User, helpers: list[User], rng: random.Random) -> None:
    care = set(
        HelperSkill.objects.filter(skill__slug__in=CARE_SKILLS, helper__in=helpers).values_list(
            "helper_id", flat=True
        )
    )
    for index, helper in enumerate(helpers):
        kinds: set[str] = set()
        if helper.pk in care and rng.random() < 0.7:
            kinds |= {CheckKind.IDENTITY, CheckKind.CRIMINAL_RECORD}
        elif index % 2 == 0 and index > 1:
            kinds.add(CheckKind.IDENTITY)
        for kind in sorted(kinds):
            _approved(helper, kind, operator, rng)
        if kinds:
            helper_changed.send(sender=VettingCheck, helper_id=helper.pk)
    if len(helpers) > 1:  # the showcase helper's neighbour waits for an operator
        check_submit(
            actor=helpers[1],
            kind=CheckKind.IDENTITY,
            files=[SimpleUploadedFile("identity-card.pdf", DEMO_PDF, "application/pdf")],
            expires_on=timezone.localdate() + timedelta(days=900),
            note="Demo: my identity card, front and back.",
        )
