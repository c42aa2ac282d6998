from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from .selectors import skill_list

router = Router(tags=["catalog"])


class SkillOut(Schema):
    slug: str
    name_en: str
    name_de: str
    category: str
    category_name_en: str
    category_name_de: str
    household_related: bool = Field(description="Household-related service (DE § 35a Abs. 2).")
    craftsman: bool = Field(description="Craftsman's work (DE § 35a Abs. 3).")
    property_related: bool = Field(description="Work on the customer's home or property.")


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
            household_related=s.household_related,
            craftsman=s.craftsman,
            property_related=s.property_related,
        )
        for s in skill_list()
    ]
