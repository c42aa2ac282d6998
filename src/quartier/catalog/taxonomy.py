"""The seed skill taxonomy: (category slug, English, German) -> [(skill slug, English, German)].

Loaded by a data migration and kept up to date by `catalog_seed()`; operators can add and
rename skills in the back office afterwards.
"""

from __future__ import annotations

from typing import Any

TAXONOMY: list[tuple[tuple[str, str, str], list[tuple[str, str, str]]]] = [
    (
        ("tech-support", "Tech support", "Technik-Hilfe"),
        [
            ("internet-wlan", "Internet & WLAN", "Internet & WLAN"),
            ("tv-set-top-box", "TV & set-top box", "TV & Set-Top-Box"),
            ("phone-mobile", "Phone & mobile", "Telefon & Handy"),
            ("computer", "Computer", "Computer"),
            ("smart-home", "Smart home", "Smart Home"),
        ],
    ),
    (
        ("home", "Home", "Haus & Wohnung"),
        [
            ("cleaning", "Cleaning", "Reinigung"),
            ("moving-help", "Moving help", "Umzugshilfe"),
            ("furniture-assembly", "Furniture assembly", "Möbelmontage"),
            ("small-repairs", "Small repairs", "Kleinreparaturen"),
            ("gardening", "Gardening", "Gartenarbeit"),
        ],
    ),
    (
        ("care", "Care", "Betreuung"),
        [
            ("pet-sitting", "Pet sitting", "Tierbetreuung"),
            ("babysitting", "Babysitting", "Kinderbetreuung"),
        ],
    ),
    (
        ("lessons", "Lessons", "Unterricht"),
        [
            ("tutoring", "Tutoring", "Nachhilfe"),
            ("languages", "Languages", "Sprachunterricht"),
        ],
    ),
]


#: What the law makes of each seeded skill: (household_related, craftsman, property_related).
#: Household-related services and craftsman's work in a home get the German § 35a EStG
#: relief (moving help, final cleaning and furniture assembly are named in the sources);
#: property-related is work done on the customer's home or land (invoice duties). Childcare
#: and lessons are neither (other reliefs), IT help at home is unconfirmed: only on-site.
SKILL_FLAGS: dict[str, tuple[bool, bool, bool]] = {
    "internet-wlan": (False, False, True),
    "tv-set-top-box": (False, False, True),
    "smart-home": (False, True, True),
    "cleaning": (True, False, True),
    "moving-help": (True, False, True),
    "furniture-assembly": (False, True, True),
    "small-repairs": (False, True, True),
    "gardening": (True, False, True),
    "pet-sitting": (True, False, True),
}


def skill_flags(slug: str) -> dict[str, bool]:
    household, craftsman, on_property = SKILL_FLAGS.get(slug, (False, False, False))
    return {
        "household_related": household,
        "craftsman": craftsman,
        "property_related": on_property,
    }


def seed_skill_flags(skill_model: Any) -> None:
    """Set the seeded skills' flags (the data migration that added them)."""
    for slug in SKILL_FLAGS:
        skill_model.objects.filter(slug=slug).update(**skill_flags(slug))


def seed_taxonomy(category_model: Any, skill_model: Any) -> int:
    """Create or rename every seeded category and skill; returns the number of skills.

    Takes the model classes so the data migration can pass its historical models. A new
    skill gets its seeded flags; an existing one keeps what operators set.
    """
    has_flags = any(f.name == "craftsman" for f in skill_model._meta.get_fields())
    count = 0
    for cat_pos, ((cat_slug, cat_en, cat_de), skills) in enumerate(TAXONOMY):
        category, _ = category_model.objects.update_or_create(
            slug=cat_slug, defaults={"name_en": cat_en, "name_de": cat_de, "position": cat_pos}
        )
        for pos, (slug, name_en, name_de) in enumerate(skills):
            defaults = {
                "category": category,
                "name_en": name_en,
                "name_de": name_de,
                "position": cat_pos * 100 + pos,
            }
            flags = skill_flags(slug) if has_flags else {}
            skill_model.objects.update_or_create(
                slug=slug, defaults=defaults, create_defaults=defaults | flags
            )
            count += 1
    return count
