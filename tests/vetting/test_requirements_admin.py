"""Operators maintain which skills need which checks in the back office; each change takes
effect in matching at once and is recorded in the operator audit."""

from __future__ import annotations

import pytest

from quartier.audit.models import OperatorAction
from quartier.catalog.models import Skill
from quartier.matching.models import MatchIndex
from quartier.vetting.models import SkillRequirement
from tests.factories import make_helper

pytestmark = pytest.mark.django_db


def test_an_operator_adds_and_removes_a_requirement_in_the_back_office(browser_as, operator):
    sitter = make_helper(email="bea@example.com", skills=["babysitting"])
    skill = Skill.objects.get(slug="babysitting")
    assert MatchIndex.objects.filter(helper=sitter, skill=skill).exists()
    admin = browser_as(operator)

    admin.post(
        "/admin/vetting/skillrequirement/add/",
        {"skill": skill.pk, "kind": "criminal_record", "reason": "Children."},
    )
    requirement = SkillRequirement.objects.get(skill=skill)
    assert requirement.kind == "criminal_record"
    assert not MatchIndex.objects.filter(helper=sitter, skill=skill).exists()

    admin.post(f"/admin/vetting/skillrequirement/{requirement.pk}/delete/", {"post": "yes"})
    assert not SkillRequirement.objects.exists()
    assert MatchIndex.objects.filter(helper=sitter, skill=skill).exists()
    assert list(OperatorAction.objects.order_by("pk").values_list("action", "reason")) == [
        ("vetting.requirement_add", "Children."),
        ("vetting.requirement_remove", ""),
    ]
