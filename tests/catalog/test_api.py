"""The skills API: a helper's declared skills refuse unknown slugs and levels and keep the
old skills."""

from __future__ import annotations

import pytest

from tests.api_checks import assert_problem, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("skills", "code", "field"),
    [
        pytest.param(
            [{"skill": "dragon-taming", "level": "expert"}],
            "unknown_skill",
            "skills.0.skill",
            id="unknown-slug",
        ),
        pytest.param(
            [
                {"skill": "internet-wlan", "level": "basic"},
                {"skill": "tv-box", "level": "basic"},
            ],
            "unknown_skill",
            "skills.1.skill",
            id="second-unknown",
        ),
        pytest.param(
            [{"skill": "internet-wlan", "level": "guru"}], "invalid", "skills.0.level", id="level"
        ),
    ],
)
def test_skills_refuse_unknown_slugs_and_keep_the_old_skills(api_as, helper, skills, code, field):
    client = api_as(helper)
    before = snapshot()
    response = client.put("/me/skills", {"skills": skills})
    body = assert_problem(response, 422, code=code, field=field)
    if code == "unknown_skill":
        assert "Unknown skill" in body["errors"][field][0]
    assert snapshot() == before
    declared = helper.helper_skills.values_list("skill__slug", flat=True)
    assert sorted(declared) == ["internet-wlan", "tv-set-top-box"]
