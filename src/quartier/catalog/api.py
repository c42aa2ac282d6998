from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .selectors import skill_list

router = Router(tags=["catalog"])


class SkillOut(Schema):
    slug: str
    name_en: str
    name_de: str
    category: str
    category_name_en: str
    category_name_de: str


@router.get("/skills", response=list[SkillOut], auth=None)
def skills(request: HttpRequest) -> list[SkillOut]:
    """The skill catalogue, in German and English."""
    return [
        SkillOut(
            slug=s.slug,
            name_en=s.name_en,
            name_de=s.name_de,
            category=s.category.slug,
            category_name_en=s.category.name_en,
            category_name_de=s.category.name_de,
        )
        for s in skill_list()
    ]
