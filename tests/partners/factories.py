"""Partners, programs and qualified helpers for the partners tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from quartier.accounts.models import User
from quartier.catalog.models import Skill
from quartier.partners.facade import qualification_pool_sync
from quartier.partners.models import (
    Partner,
    PartnerMember,
    Program,
    ProgramRegion,
    ProgramService,
    Qualification,
)
from quartier.partners.states import PartnerRole, QualificationState
from tests.factories import UserFactory


def make_partner(slug: str = "swisstel", name: str = "SwissTel", **fields: Any) -> Partner:
    fields.setdefault("contact_email", f"ops@{slug}.example")
    return Partner.objects.create(slug=slug, name=name, **fields)


def make_member(partner: Partner, role: str = PartnerRole.ADMIN, **fields: Any) -> User:
    user: User = UserFactory(is_customer=False, **fields)
    PartnerMember.objects.create(partner=partner, user=user, role=role)
    return user


def make_program(
    partner: Partner,
    *,
    slug: str = "home-internet",
    skill: str = "internet-wlan",
    service_code: str = "router-setup",
    price_minor: int = 8900,
    country: str = "CH",
    **fields: Any,
) -> Program:
    fields.setdefault("escalation_email", f"technicians@{partner.slug}.example")
    fields.setdefault("currency", "CHF" if country == "CH" else "EUR")
    program = Program.objects.create(
        partner=partner, slug=slug, name=slug.replace("-", " ").title(), **fields
    )
    ProgramService.objects.create(
        program=program,
        code=service_code,
        name=service_code.replace("-", " ").title(),
        skill=Skill.objects.get(slug=skill),
        fixed_price_minor=price_minor,
    )
    ProgramRegion.objects.create(program=program, country=country)
    return program


def make_qualified(helper: User, program: Program) -> Qualification:
    """A helper approved for the program with the training passed."""
    qualification = Qualification.objects.create(
        program=program,
        helper=helper,
        state=QualificationState.QUALIFIED,
        training_passed_at=timezone.now(),
    )
    qualification_pool_sync(qualification)
    return qualification
