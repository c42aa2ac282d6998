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


def seed_taxonomy(category_model: Any, skill_model: Any) -> int:
    """Create or rename every seeded category and skill; returns the number of skills.

    Takes the model classes so the data migration can pass its historical models.
    """
    count = 0
    for cat_pos, ((cat_slug, cat_en, cat_de), skills) in enumerate(TAXONOMY):
        category, _ = category_model.objects.update_or_create(
            slug=cat_slug, defaults={"name_en": cat_en, "name_de": cat_de, "position": cat_pos}
        )
        for pos, (slug, name_en, name_de) in enumerate(skills):
            skill_model.objects.update_or_create(
                slug=slug,
                defaults={
                    "category": category,
                    "name_en": name_en,
                    "name_de": name_de,
                    "position": cat_pos * 100 + pos,
                },
            )
            count += 1
    return count
